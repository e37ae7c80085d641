package io.roster.api;

import io.roster.testing.RealNodeTest;
import io.roster.testing.RosterHttp;
import io.roster.testing.RosterHttp.Reply;
import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.test.context.TestPropertySource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A node that requires client tokens ({@code roster.auth.tokens}), driven as curl users with and without one drive it. */
@AutoConfigureMetrics // tests turn metrics export off unless asked; the open scrape endpoint is checked here
@TestPropertySource(properties = "roster.auth.tokens=" + ClientTokenApiTest.OLD + "," + ClientTokenApiTest.NEW)
class ClientTokenApiTest extends RealNodeTest {

    static final String OLD = "old-token-0123456789abcdef";
    static final String NEW = "new-token-fedcba9876543210";

    @Test
    void withoutATokenEveryApiRequestIsA401ProblemThatSaysWhatToSend() {
        String[] paths = {"/v1/kv/config/a", "/v1/status", "/v1/members", "/v1/services", "/v1/watch/services",
                "/v1/snapshot"};
        for (String path : paths) {
            assertUnauthorized(http.get(path), "Bearer realm=\"roster\"", "Authorization: Bearer <token>");
        }
        assertUnauthorized(http.put("/v1/kv/config/a", "{\"value\":\"x\"}"), "Bearer realm=\"roster\"", "requires a client token");
        // The heartbeat's own path ahead of the dispatcher is behind the token too.
        assertUnauthorized(http.put("/v1/services/web/instances/web-1/heartbeat", null), "Bearer realm=\"roster\"", "requires a client token");

        assertThat(http.withToken(NEW).get("/v1/kv/config/a").status()).as("nothing was written").isEqualTo(404);
    }

    @Test
    void aWrongTokenOrAnotherSchemeIsRefusedAndSaysWhy() {
        assertUnauthorized(http.withToken("not-the-token-0123456789").get("/v1/status"),
                "error=\"invalid_token\"", "not one this member accepts");
        assertUnauthorized(http.send(HttpRequest.newBuilder(http.uri("/v1/status")).header("Authorization", "Basic dXNlcjpwYXNz").GET()),
                "error=\"invalid_request\"", "must use the Bearer scheme");
    }

    @Test
    void everyConfiguredTokenIsAcceptedSoTokensRotateWithoutDowntime() {
        RosterHttp old = http.withToken(OLD);
        RosterHttp rotated = http.withToken(NEW);

        Reply put = old.put("/v1/kv/config/rotating", "{\"value\":\"v1\"}");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        Reply read = rotated.get("/v1/kv/config/rotating");
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.json().get("value").asString()).isEqualTo("v1");

        Reply registered = rotated.put("/v1/services/web/instances/web-1", "{\"host\":\"10.0.0.1\",\"port\":8080}");
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        Reply beat = old.put("/v1/services/web/instances/web-1/heartbeat", null);
        assertThat(beat.status()).as(beat.toString()).isEqualTo(200);
        // "Bearer" is case-insensitive (RFC 9110 auth-scheme).
        Reply lowercase = http.send(HttpRequest.newBuilder(http.uri("/v1/status")).header("Authorization", "bearer " + NEW).GET());
        assertThat(lowercase.status()).as(lowercase.toString()).isEqualTo(200);
    }

    @Test
    void healthMetricsAndTheApiDescriptionStayOpenForProbesAndPrometheus() {
        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(http.get("/actuator/prometheus").status()).isEqualTo(200);
        Reply apiDocs = http.get("/v3/api-docs");
        assertThat(apiDocs.status()).isEqualTo(200);
        assertThat(apiDocs.json().at("/components/securitySchemes/bearerToken/scheme").asString()).isEqualTo("bearer");
    }

    @Test
    void theHealthDocumentShowsItsDetailsOnlyToACallerWithAToken() {
        Reply anonymous = http.get("/actuator/health");
        Reply wrongToken = http.withToken("not-the-token-0123456789").get("/actuator/health");
        Reply withToken = http.withToken(NEW).get("/actuator/health");

        assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(200);
        assertThat(anonymous.json().get("status").asString()).isEqualTo("UP");
        assertThat(anonymous.json().has("components")).as("details for an anonymous caller: %s", anonymous.body()).isFalse();
        assertThat(wrongToken.json().has("components")).as(wrongToken.body()).isFalse();
        assertThat(withToken.json().at("/components/raft/details/role").asString()).as(withToken.body()).isEqualTo("leader");
        assertUnauthorized(http.get("/actuator/health/raft"), "Bearer realm=\"roster\"", "requires a client token");
    }

    @Test
    void rosterctlSendsTheTokenFromItsEnvironmentOrItsOption() {
        String endpoint = "http://127.0.0.1:" + port;

        Rosterctl put = rosterctl(Map.of("ROSTERCTL_TOKEN", NEW), "--endpoints", endpoint, "put", "config/cli", "from-env");
        assertThat(put.exitCode).as(put.toString()).isZero();
        Rosterctl get = rosterctl(Map.of(), "--endpoints", endpoint, "--token", OLD, "get", "config/cli", "--print-value-only");
        assertThat(get.exitCode).as(get.toString()).isZero();
        assertThat(get.out.trim()).isEqualTo("from-env");

        Rosterctl without = rosterctl(Map.of(), "--endpoints", endpoint, "get", "config/cli");
        assertThat(without.exitCode).as(without.toString()).isEqualTo(1);
        assertThat(without.err).contains("requires a client token").contains("ROSTERCTL_TOKEN");
    }

    private record Rosterctl(int exitCode, String out, String err) {
    }

    private static Rosterctl rosterctl(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = io.roster.cli.Rosterctl.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new Rosterctl(exitCode, out.toString(), err.toString());
    }

    private static void assertUnauthorized(Reply reply, String challenge, String detail) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
        assertThat(reply.isProblem()).as(reply.contentType()).isTrue();
        assertThat(reply.challenge()).contains(challenge);
        assertThat(reply.json().get("title").asString()).isEqualTo("Unauthorized");
        assertThat(reply.json().get("status").asInt()).isEqualTo(401);
        assertThat(reply.json().get("detail").asString()).contains(detail);
    }
}
