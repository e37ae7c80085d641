package io.roster.api;

import io.roster.testing.RawHttp;
import io.roster.testing.RealNodeTest;
import io.roster.testing.RosterHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.RequestMappingInfoHandlerMapping;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint the application maps (read from Spring WebFlux's handler mappings, so a new endpoint is
 * covered without anyone listing it), under every spelling of its path that a decoder or normaliser would
 * route to it: without a token each is a 401, and nothing changes; with a token each spelling but the
 * plain one is a 400 before any controller.
 */
@ExtendWith(OutputCaptureExtension.class)
@AutoConfigureMetrics // so that /actuator/prometheus is mapped, as it is outside tests
@TestPropertySource(properties = "roster.auth.tokens=" + EndpointSpellingTest.TOKEN)
class EndpointSpellingTest extends RealNodeTest {

    static final String TOKEN = "spelling-token-0123456789";
    /** A body that most write endpoints would accept, so a request that got through would change something. */
    private static final String BODY = "{\"value\":\"written\",\"host\":\"10.0.0.9\",\"port\":80,\"ttlSeconds\":60,"
            + "\"status\":\"OUT_OF_SERVICE\",\"weight\":1,\"name\":\"intruder\",\"peerUrls\":[\"http://127.0.0.1:9\"]}";

    /** Spellings that a server or framework could read as the plain path. An encoded slash is refused before the token check. */
    private static final List<Spelling> SPELLINGS = List.of(
            new Spelling("encoded letter", path -> encodeFirst(path, Character::isLetter)),
            new Spelling("encoded digit", path -> encodeFirst(path, Character::isDigit)),
            new Spelling("encoded first segment", path -> {
                int end = path.indexOf('/', 1);
                String segment = end < 0 ? path.substring(1) : path.substring(1, end);
                StringBuilder encoded = new StringBuilder("/");
                segment.chars().forEach(c -> encoded.append(String.format("%%%02X", c)));
                return encoded + (end < 0 ? "" : path.substring(end));
            }),
            new Spelling("path parameter", path -> afterFirstSegment(path, ";x=1")),
            new Spelling("empty path parameter", path -> afterFirstSegment(path, ";")),
            new Spelling("dot segment", path -> "/." + path),
            new Spelling("dot-dot segment", path -> "/intruder/.." + path),
            new Spelling("encoded dot segment", path -> "/intruder/%2e%2e" + path),
            new Spelling("encoded slash", path -> path.replaceFirst("/(?=[^/]*$)", "%2F")));

    @Autowired
    ApplicationContext context;

    @Test
    void noSpellingOfAnyEndpointIsReachableWithoutATokenOrChangesAnything() {
        RosterHttp authorized = http.withToken(TOKEN);
        assertThat(authorized.put("/v1/kv/kept", "{\"value\":\"original\"}").status()).isEqualTo(200);
        assertThat(authorized.put("/v1/services/web/instances/web-1", "{\"host\":\"10.0.0.1\",\"port\":8080,\"ttlSeconds\":600}").status())
                .isEqualTo(201);
        String revisionBefore = authorized.get("/v1/status").revisionHeader();
        String kvBefore = authorized.get("/v1/kv/kept").body();
        String instanceBefore = authorized.get("/v1/services/web/instances/web-1").body();

        List<Endpoint> endpoints = mappedEndpoints();
        assertThat(endpoints).as("the handler mappings and the heartbeat endpoint list the API").extracting(Endpoint::path)
                .contains("/v1/kv/config/x", "/v1/services/web/instances/web-1/heartbeat", "/v1/watch/services", "/v1/snapshot",
                        "/v1/members", "/actuator/prometheus");
        List<String> failures = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            RawHttp.Response plain = send(endpoint.method(), endpoint.path(), null);
            boolean isPublic = plain.status() != 401;
            if (isPublic && !PUBLIC.contains(endpoint.path())) {
                failures.add(endpoint + " answered " + plain.status() + " without a token");
            }
            for (Spelling spelling : SPELLINGS) {
                String spelled = spelling.apply(endpoint.path());
                RawHttp.Response answer = send(endpoint.method(), spelled, null);
                int expected = spelling.name().equals("encoded slash") ? 400 : 401;
                if (answer.status() != expected || !answer.isProblem()) {
                    failures.add(endpoint.method() + " " + spelled + " (" + spelling.name() + ") without a token: " + answer.status() + " "
                            + answer.bodyText() + ", expected a " + expected + " problem");
                }
                RawHttp.Response withToken = send(endpoint.method(), spelled, TOKEN);
                if (withToken.status() != 400 || !withToken.isProblem()) {
                    failures.add(endpoint.method() + " " + spelled + " (" + spelling.name() + ") with a token: " + withToken.status() + " "
                            + withToken.bodyText() + ", expected a 400 problem");
                }
            }
        }
        assertThat(failures).as("%d endpoints x %d spellings", endpoints.size(), SPELLINGS.size()).isEmpty();

        assertThat(authorized.get("/v1/status").revisionHeader()).as("nothing was written").isEqualTo(revisionBefore);
        assertThat(authorized.get("/v1/kv/kept").body()).isEqualTo(kvBefore);
        assertThat(authorized.get("/v1/services/web/instances/web-1").body()).isEqualTo(instanceBefore);
    }

    @Test
    void aTokenInAHeaderThatTheServerRefusesIsNeverLogged(CapturedOutput output) {
        for (String header : List.of("Authorization: Bearer " + TOKEN + "\u0001", "Authorization : Bearer " + TOKEN,
                "Authorization Bearer " + TOKEN, "Authorization: Bearer " + TOKEN + "\u007f", "Authorization: Bearer " + TOKEN + "\u0000",
                "Authori\u0001zation: Bearer " + TOKEN)) {
            byte[] request = ("GET /v1/status HTTP/1.1\r\nHost: x\r\n" + header + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            RawHttp.Response answer = raw().exchange(request);
            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertThat(answer.isProblem()).as(answer.toString()).isTrue();
        }
        assertThat(output.getAll()).doesNotContain(TOKEN);
    }

    private static final Set<String> PUBLIC = Set.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
            "/actuator/prometheus", "/v1/auth/authenticate",
            "/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/swagger-config", "/v3/api-docs/x1", "/swagger-ui.html");

    private RawHttp.Response send(String method, String path, String token) {
        boolean hasBody = method.equals("PUT") || method.equals("POST") || method.equals("PATCH");
        return raw().send(method, path, token == null ? List.of() : List.of("Authorization: Bearer " + token),
                hasBody ? BODY : null);
    }

    /** One concrete request per mapped pattern and method, with path variables filled in. */
    private List<Endpoint> mappedEndpoints() {
        Set<Endpoint> endpoints = new LinkedHashSet<>();
        for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (String pattern : info.getPatternsCondition().getPatterns().stream().map(org.springframework.web.util.pattern.PathPattern::getPatternString).toList()) {
                    for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                        endpoints.add(new Endpoint(method.name(), concrete(pattern)));
                    }
                }
            }
        }
        // Answered ahead of the dispatcher, so in no handler mapping.
        endpoints.add(new Endpoint("PUT", concrete(io.roster.api.registry.HeartbeatEndpoint.URI_PATTERN)));
        return List.copyOf(endpoints);
    }

    /** {@code /v1/kv/{*key}} → {@code /v1/kv/config/x}; {@code {service}} → {@code web}; other variables → x1. */
    static String concrete(String pattern) {
        return pattern.replaceAll("\\{\\*[^}]+}", "config/x").replace("{service}", "web").replace("{instanceId}", "web-1")
                .replaceAll("\\{[^}]+}", "x1").replace("/**", "/x1").replace("*", "x1");
    }

    private static String encodeFirst(String path, java.util.function.IntPredicate which) {
        for (int i = 1; i < path.length(); i++) {
            if (which.test(path.charAt(i))) {
                return path.substring(0, i) + String.format("%%%02X", (int) path.charAt(i)) + path.substring(i + 1);
            }
        }
        return path + "/%61";
    }

    private static String afterFirstSegment(String path, String insert) {
        int end = path.indexOf('/', 1);
        return end < 0 ? path + insert : path.substring(0, end) + insert + path.substring(end);
    }

    private record Endpoint(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private record Spelling(String name, UnaryOperator<String> spell) {
        String apply(String path) {
            return spell.apply(path);
        }
    }

    private RawHttp raw() {
        return new RawHttp(port, java.time.Duration.ofSeconds(30));
    }
}
