package io.roster.api.auth;

import io.roster.config.RosterProperties;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;

/**
 * The paths a client may use without credentials while credentials are required. Everything else is
 * denied by default, so a new endpoint is locked without anyone remembering to lock it.
 *
 * <p>A path is public only when its raw request URI is spelled exactly as below: another spelling of the
 * same path ({@code /actuator/%70rometheus}, {@code /actuator/prometheus;x}) is not public, and so needs
 * credentials, whatever Reactor Netty or Spring WebFlux would decode it to. No decoding here means no decoding to get wrong.
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
    /**
     * The console's entrances: {@code /} and {@code /ui} only redirect to {@code /ui/}, which serves the page.
     * They hold no data; the page asks for a token and sends it with every API call it makes.
     */
    private static final Set<String> CONSOLE_ENTRANCES = Set.of("/", "/ui", "/ui/");
    /** Where the console's files are bundled, and the URL path they are served under. */
    static final String CONSOLE_ASSETS = "static/ui/";
    static final String CONSOLE_PATH = "/ui/";
    /**
     * The console's static files, listed once from the jar: a fixed list of exact paths rather than a
     * {@code /ui/} prefix, so nothing but a file that ships in the jar is open, and a path added under
     * {@code /ui/} later (or any other spelling of one of these) still needs credentials.
     */
    private static final Set<String> CONSOLE_FILES = consoleFiles();

    private final Set<String> exact;
    private final boolean apiDocsPublic;

    PublicPaths(RosterProperties.Auth settings) {
        Set<String> paths = new HashSet<>();
        paths.add(AUTHENTICATE);
        // The console must load before it can ask for a token; its files are code, not data.
        paths.addAll(CONSOLE_ENTRANCES);
        paths.addAll(CONSOLE_FILES);
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

    /** {@code /ui/index.html}, {@code /ui/app.js}, ...: every file under {@code static/ui/} on the class path. */
    static Set<String> consoleFiles() {
        Set<String> files = new HashSet<>();
        try {
            for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath*:" + CONSOLE_ASSETS + "**")) {
                if (!resource.isReadable()) {
                    continue; // a directory
                }
                String url = resource.getURL().toString();
                int at = url.lastIndexOf(CONSOLE_ASSETS);
                String relative = url.substring(at + CONSOLE_ASSETS.length());
                if (!relative.isEmpty() && !relative.endsWith("/")) {
                    files.add(CONSOLE_PATH + relative);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the console's files under " + CONSOLE_ASSETS, e);
        }
        return Set.copyOf(files);
    }
}
