package io.roster.api.auth;

import java.util.Set;

/**
 * The paths a client may use without a token while tokens are required. Everything else is denied by
 * default, so a new endpoint is locked without anyone remembering to lock it.
 *
 * <p>A path is public only when its raw request URI is spelled exactly as below: another spelling of the
 * same path ({@code /actuator/%70rometheus}, {@code /actuator/prometheus;x}) is not public, and so needs a
 * token, whatever Spring MVC or Tomcat would decode it to. No decoding here means no decoding to get wrong.
 */
final class PublicPaths {

    /** Where a user trades a name and password for a token: open, or no one could sign in. */
    static final String AUTHENTICATE = "/v1/auth/authenticate";

    /**
     * kubelet probes, load balancers and Prometheus would otherwise all need the secret; they show no keys
     * or instances. The health document shows its details only to a caller with a token.
     */
    private static final Set<String> ALWAYS = Set.of("/actuator/health", "/actuator/health/liveness",
            "/actuator/health/readiness", "/actuator/prometheus", AUTHENTICATE);
    private static final Set<String> API_DOCS = Set.of("/v3/api-docs", "/v3/api-docs.yaml", "/swagger-ui.html");
    /**
     * Prefixes of the API description's documents and Swagger UI's assets. What follows a prefix is
     * still checked by {@code RequestShapeFilter}, which refuses dot segments and encoded slashes, so a
     * prefix never leads out of its directory.
     */
    private static final String[] API_DOCS_PREFIXES = {"/v3/api-docs/", "/swagger-ui/"};

    private final boolean apiDocsPublic;

    PublicPaths(boolean apiDocsPublic) {
        this.apiDocsPublic = apiDocsPublic;
    }

    boolean isPublic(String rawRequestUri) {
        if (ALWAYS.contains(rawRequestUri)) {
            return true;
        }
        if (!apiDocsPublic) {
            return false;
        }
        if (API_DOCS.contains(rawRequestUri)) {
            return true;
        }
        for (String prefix : API_DOCS_PREFIXES) {
            if (rawRequestUri.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
