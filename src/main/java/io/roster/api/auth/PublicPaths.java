package io.roster.api.auth;

import io.roster.config.RosterProperties;

import java.util.HashSet;
import java.util.Set;

/**
 * The paths a client may use without credentials while credentials are required. Everything else is
 * denied by default, so a new endpoint is locked without anyone remembering to lock it.
 *
 * <p>A path is public only when its raw request URI is spelled exactly as below: another spelling of the
 * same path ({@code /actuator/%70rometheus}, {@code /actuator/prometheus;x}) is not public, and so needs
 * credentials, whatever Spring MVC or Tomcat would decode it to. No decoding here means no decoding to get wrong.
 */
final class PublicPaths {

    /** Where a user trades a name and password for a token: open, or no one could sign in. */
    static final String AUTHENTICATE = "/v1/auth/authenticate";

    /**
     * kubelet probes and load balancers would otherwise all need a secret ({@code roster.auth.public-probes});
     * the health document shows its details only to a caller with credentials.
     */
    private static final Set<String> PROBES = Set.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness");
    /** Prometheus, which shows no keys or instances ({@code roster.auth.public-metrics}). */
    private static final String METRICS = "/actuator/prometheus";
    private static final Set<String> API_DOCS = Set.of("/v3/api-docs", "/v3/api-docs.yaml", "/swagger-ui.html");
    /**
     * Prefixes of the API description's documents and Swagger UI's assets. What follows a prefix is
     * still checked by {@code RequestShapeFilter}, which refuses dot segments and encoded slashes, so a
     * prefix never leads out of its directory.
     */
    private static final String[] API_DOCS_PREFIXES = {"/v3/api-docs/", "/swagger-ui/"};

    private final Set<String> exact;
    private final boolean apiDocsPublic;

    PublicPaths(RosterProperties.Auth settings) {
        Set<String> paths = new HashSet<>();
        paths.add(AUTHENTICATE);
        if (settings.publicProbes()) {
            paths.addAll(PROBES);
        }
        if (settings.publicMetrics()) {
            paths.add(METRICS);
        }
        this.apiDocsPublic = settings.publicApiDocs();
        if (apiDocsPublic) {
            paths.addAll(API_DOCS);
        }
        this.exact = Set.copyOf(paths);
    }

    boolean isPublic(String rawRequestUri) {
        if (exact.contains(rawRequestUri)) {
            return true;
        }
        if (apiDocsPublic) {
            for (String prefix : API_DOCS_PREFIXES) {
                if (rawRequestUri.startsWith(prefix)) {
                    return true;
                }
            }
        }
        return false;
    }
}
