package io.roster.api;

import io.roster.testing.RealNodeTest;
import io.roster.testing.RosterHttp;
import io.roster.testing.RosterHttp.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The HTTP API of one real node (real JRaft, real RocksDB log), driven as curl users drive it. */
@AutoConfigureMetrics // tests turn metrics export off unless asked; the request metrics of writes are checked here
class SingleNodeApiTest extends RealNodeTest {

    private static final AtomicInteger KEYS = new AtomicInteger();

    String key;

    @BeforeEach
    void newKey() {
        key = "test/" + KEYS.incrementAndGet();
    }

    @Test
    void putReturnsTheStoredEntryAndTheRevisionItCreated() {
        Reply reply = http.put("/v1/kv/" + key, "{\"value\":\"hello\"}");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("key").asString()).isEqualTo(key);
        assertThat(body.get("value").asString()).isEqualTo("hello");
        assertThat(body.get("version").asLong()).isEqualTo(1);
        assertThat(body.get("createRevision").asLong()).isEqualTo(body.get("revision").asLong());
        assertThat(body.get("modRevision").asLong()).isEqualTo(body.get("revision").asLong());
        assertThat(body.has("lease")).isFalse();
        assertThat(reply.revisionHeader()).isEqualTo(body.get("revision").asString());

        Reply again = http.put("/v1/kv/" + key, "{\"value\":\"world\"}");
        assertThat(again.json().get("version").asLong()).isEqualTo(2);
        assertThat(again.json().get("createRevision").asLong()).isEqualTo(body.get("createRevision").asLong());
        assertThat(again.json().get("revision").asLong()).isEqualTo(body.get("revision").asLong() + 1);
    }

    @Test
    void getReadsLinearizablyByDefaultAndSerializablyOnRequest() {
        http.put("/v1/kv/" + key, "{\"value\":\"v\"}");

        for (String query : new String[] {"", "?consistency=serializable", "?consistency=linearizable"}) {
            Reply reply = http.get("/v1/kv/" + key + query);
            assertThat(reply.status()).as(query).isEqualTo(200);
            assertThat(reply.json().get("value").asString()).isEqualTo("v");
            assertThat(reply.revisionHeader()).isNotNull();
        }
    }

    @Test
    void aMissingKeyIsA404ProblemWithTheRevision() {
        Reply reply = http.get("/v1/kv/" + key + "/absent");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.isProblem()).isTrue();
        assertThat(reply.json().get("detail").asString()).contains(key + "/absent");
        assertThat(reply.json().get("revision").asLong()).isPositive();
    }

    @Test
    void prefixReadsListKeysInOrderWithLimitCountAndMore() {
        for (String name : new String[] {"b", "a/x", "a/y", "c"}) {
            http.put("/v1/kv/" + key + "/" + name, "{\"value\":\"" + name + "\"}");
        }
        http.put("/v1/kv/" + key + "-sibling", "{\"value\":\"outside\"}");

        JsonNode all = http.get("/v1/kv/" + key + "/?prefix=true").json();
        assertThat(all.get("count").asInt()).isEqualTo(4);
        assertThat(all.get("more").asBoolean()).isFalse();
        assertThat(all.get("kvs").valueStream().map(kv -> kv.get("key").asString()))
                .containsExactly(key + "/a/x", key + "/a/y", key + "/b", key + "/c");

        JsonNode limited = http.get("/v1/kv/" + key + "/?prefix=true&limit=2").json();
        assertThat(limited.get("kvs").size()).isEqualTo(2);
        assertThat(limited.get("count").asInt()).isEqualTo(4);
        assertThat(limited.get("more").asBoolean()).isTrue();
    }

    @Test
    void compareAndSwapCreatesOnlyWhenAbsentAndUpdatesOnlyAtTheExpectedRevision() {
        Reply created = http.put("/v1/kv/" + key, "{\"value\":\"mine\",\"prevRevision\":0}");
        assertThat(created.status()).isEqualTo(200);
        long modRevision = created.json().get("modRevision").asLong();

        Reply conflict = http.put("/v1/kv/" + key, "{\"value\":\"theirs\",\"prevRevision\":0}");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.isProblem()).isTrue();
        assertThat(conflict.json().get("current").get("value").asString()).isEqualTo("mine");
        assertThat(conflict.json().get("current").get("modRevision").asLong()).isEqualTo(modRevision);

        Reply stale = http.put("/v1/kv/" + key, "{\"value\":\"theirs\",\"prevRevision\":" + (modRevision - 1) + "}");
        assertThat(stale.status()).isEqualTo(409);

        Reply swapped = http.put("/v1/kv/" + key, "{\"value\":\"theirs\",\"prevRevision\":" + modRevision + "}");
        assertThat(swapped.status()).isEqualTo(200);
        assertThat(http.get("/v1/kv/" + key).json().get("value").asString()).isEqualTo("theirs");
    }

    @Test
    void writesAreTimedUnderTheirRouteWithTheStatusTheyWereAnswered() {
        assertThat(http.put("/v1/kv/" + key, "{\"value\":\"mine\",\"prevRevision\":0}").status()).isEqualTo(200);
        assertThat(http.put("/v1/kv/" + key, "{\"value\":\"theirs\",\"prevRevision\":0}").status()).isEqualTo(409);

        String exposition = http.get("/actuator/prometheus").body();
        assertThat(exposition.lines().filter(line -> line.startsWith("http_server_requests_seconds_count{")
                && line.contains("uri=\"/v1/kv/{*key}\"") && line.contains("method=\"PUT\"")))
                .anySatisfy(line -> assertThat(line).contains("status=\"200\""))
                .anySatisfy(line -> assertThat(line).contains("status=\"409\""));
    }

    @Test
    void deleteRemovesOneKeyOrAWholePrefixAtOneRevision() {
        http.put("/v1/kv/" + key + "/1", "{\"value\":\"1\"}");
        http.put("/v1/kv/" + key + "/2", "{\"value\":\"2\"}");
        http.put("/v1/kv/" + key + "/3", "{\"value\":\"3\"}");

        Reply one = http.delete("/v1/kv/" + key + "/1");
        assertThat(one.json().get("deleted").asInt()).isEqualTo(1);
        Reply none = http.delete("/v1/kv/" + key + "/1");
        assertThat(none.json().get("deleted").asInt()).isZero();
        assertThat(none.json().get("revision").asLong()).isEqualTo(one.json().get("revision").asLong());

        Reply prefix = http.delete("/v1/kv/" + key + "/?prefix=true");
        assertThat(prefix.json().get("deleted").asInt()).isEqualTo(2);
        assertThat(prefix.json().get("revision").asLong()).isEqualTo(one.json().get("revision").asLong() + 1);
        assertThat(http.get("/v1/kv/" + key + "/?prefix=true").json().get("count").asInt()).isZero();
    }

    @Test
    void aConditionalDeleteRefusesAStaleRevision() {
        long revision = http.put("/v1/kv/" + key, "{\"value\":\"x\"}").json().get("modRevision").asLong();

        assertThat(http.delete("/v1/kv/" + key + "?prevRevision=" + (revision + 5)).status()).isEqualTo(409);
        assertThat(http.delete("/v1/kv/" + key + "?prevRevision=" + revision).json().get("deleted").asInt()).isEqualTo(1);
    }

    @Test
    void aLeaseCarriesItsKeysAndTakesThemWithItWhenRevoked() {
        Reply granted = http.post("/v1/leases", "{\"ttlSeconds\":60}");
        assertThat(granted.status()).isEqualTo(201);
        String lease = granted.json().get("id").asString();
        assertThat(lease).matches("[0-9a-f]{16}");
        assertThat(granted.json().get("ttlSeconds").asLong()).isEqualTo(60);

        Reply bound = http.put("/v1/kv/" + key, "{\"value\":\"up\",\"lease\":\"" + lease + "\"}");
        assertThat(bound.json().get("lease").asString()).isEqualTo(lease);

        Reply kept = http.put("/v1/leases/" + lease + "/keepalive", null);
        assertThat(kept.status()).isEqualTo(200);
        assertThat(kept.json().get("ttlSeconds").asLong()).isEqualTo(60);

        JsonNode info = http.get("/v1/leases/" + lease).json();
        assertThat(info.get("ttlSeconds").asLong()).isEqualTo(60);
        assertThat(info.get("remainingSeconds").asLong()).isBetween(55L, 60L);
        assertThat(info.get("keys").valueStream().map(JsonNode::asString)).containsExactly(key);

        Reply revoked = http.delete("/v1/leases/" + lease);
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().get("deletedKeys").asInt()).isEqualTo(1);
        assertThat(http.get("/v1/kv/" + key).status()).isEqualTo(404);
        assertThat(http.put("/v1/leases/" + lease + "/keepalive", null).status()).isEqualTo(404);
        assertThat(http.get("/v1/leases/" + lease).status()).isEqualTo(404);
        assertThat(http.delete("/v1/leases/" + lease).status()).isEqualTo(404);
    }

    @Test
    void aKeyCannotBeBoundToALeaseThatDoesNotExist() {
        Reply reply = http.put("/v1/kv/" + key, "{\"value\":\"x\",\"lease\":\"00000000000000ff\"}");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().get("detail").asString()).contains("lease 00000000000000ff not found");
        assertThat(http.get("/v1/kv/" + key).status()).isEqualTo(404);
    }

    @Test
    void aLeaseWithoutKeepAlivesExpiresWithItsKeys() {
        String lease = http.post("/v1/leases", "{\"ttlSeconds\":1}").json().get("id").asString();
        http.put("/v1/kv/" + key, "{\"value\":\"x\",\"lease\":\"" + lease + "\"}");

        await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/v1/kv/" + key).status() == 404);
        assertThat(http.put("/v1/leases/" + lease + "/keepalive", null).status()).isEqualTo(404);
    }

    @Test
    void statusDescribesTheMemberAndTheCluster() {
        Reply reply = http.get("/v1/status");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode status = reply.json();
        assertThat(status.get("name").asString()).isEqualTo("default");
        assertThat(status.get("memberId").asString()).matches("[0-9a-f]{16}");
        assertThat(status.get("clusterId").asString()).matches("[0-9a-f]{16}").isNotEqualTo(status.get("memberId").asString());
        assertThat(status.get("leader").asString()).isEqualTo(status.get("memberId").asString());
        assertThat(status.get("raftTerm").asLong()).isPositive();
        assertThat(status.get("role").asString()).isEqualTo("leader");
        assertThat(status.get("raftIndex").asLong()).isGreaterThanOrEqualTo(status.get("commitIndex").asLong());
        assertThat(status.get("commitIndex").asLong()).isGreaterThanOrEqualTo(status.get("appliedIndex").asLong());
        assertThat(status.get("revision").asLong()).isPositive();
        assertThat(status.get("dbSizeBytes").asLong()).isPositive();
        assertThat(status.get("version").asString()).isNotBlank();
    }

    @Test
    void healthProbesAreUp() {
        Reply readiness = http.get("/actuator/health/readiness");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().get("components").get("raft").get("details").get("role").asString()).isEqualTo("leader");
        assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(http.get("/actuator/health").json().get("status").asString()).isEqualTo("UP");
    }

    // ---- bad input: a 4xx ProblemDetail that names the problem, and nothing written ----

    @Test
    void malformedJsonIsA400Problem() {
        assertProblem(http.put("/v1/kv/" + key, "{\"value\":"), 400, "ends too early");
        assertProblem(http.put("/v1/kv/" + key, "[1,2]"), 400, "the body must be an object");
        assertProblem(http.put("/v1/kv/" + key, "{}"), 400, "value is required");
        assertThat(http.get("/v1/kv/" + key).status()).isEqualTo(404);
    }

    @Test
    void aValueOverTheLimitIsA413ThatNamesTheLimit() {
        String value = "x".repeat(1_572_865);
        Reply reply = http.put("/v1/kv/" + key, RosterHttp.json(Map.of("value", value)));

        assertProblem(reply, 413, "max-value-bytes");
        assertThat(reply.json().get("limit").asString()).isEqualTo("1572864");
        assertThat(http.get("/v1/kv/" + key).status()).isEqualTo(404);
        assertThat(http.put("/v1/kv/" + key, RosterHttp.json(Map.of("value", "x".repeat(1_572_864)))).status()).isEqualTo(200);
    }

    @Test
    void aBodyOverTheRequestLimitIsA413EvenWhenChunked() {
        String body = RosterHttp.json(Map.of("value", "x".repeat(3_000_000)));
        assertProblem(http.put("/v1/kv/" + key, body), 413, "max-request-body");

        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Reply chunked = http.send(HttpRequest.newBuilder(http.uri("/v1/kv/" + key))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))));
        assertProblem(chunked, 413, "max-request-body");
        assertThat(http.get("/v1/kv/" + key).status()).isEqualTo(404);
    }

    @Test
    void aKeyOverTheLimitIsA400ThatNamesTheLimit() {
        assertProblem(http.put("/v1/kv/" + "k".repeat(4097), "{\"value\":\"x\"}"), 400, "max-key-bytes");
    }

    @Test
    void outOfRangeAndMalformedParametersAre400sNamingTheField() {
        assertField(http.post("/v1/leases", "{\"ttlSeconds\":0}"), "ttlSeconds");
        assertField(http.post("/v1/leases", "{\"ttlSeconds\":86401}"), "ttlSeconds");
        assertField(http.post("/v1/leases", "{}"), "ttlSeconds");
        assertField(http.put("/v1/kv/" + key, "{\"value\":\"x\",\"lease\":\"nothex\"}"), "lease");
        assertField(http.put("/v1/kv/" + key, "{\"value\":\"x\",\"prevRevision\":-3}"), "prevRevision");
        assertField(http.put("/v1/kv/" + key, "{\"value\":\"\\ud800\"}"), "value");
        assertField(http.get("/v1/kv/" + key + "?consistency=eventual"), "consistency");
        assertField(http.get("/v1/kv/" + key + "?prefix=true&limit=abc"), "limit");
        assertField(http.get("/v1/kv/" + key + "?prefix=true&limit=-1"), "limit");
        assertField(http.get("/v1/kv/" + key + "?prefix=true&limit=10001"), "limit");
        assertField(http.put("/v1/leases/xyz/keepalive", null), "id");
        assertThat(http.get("/v1/kv/" + key).status()).isEqualTo(404);
    }

    @Test
    void wrongMethodsAndMediaTypesAreProblemsToo() {
        assertThat(http.post("/v1/kv/" + key, "{\"value\":\"x\"}").isProblem()).isTrue();
        assertThat(http.post("/v1/kv/" + key, "{\"value\":\"x\"}").status()).isEqualTo(405);
        Reply plain = http.send(HttpRequest.newBuilder(http.uri("/v1/kv/" + key))
                .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(plain.status()).isEqualTo(415);
        assertThat(plain.isProblem()).isTrue();
    }

    private static void assertProblem(Reply reply, int status, String detailFragment) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.isProblem()).as("content type of %s", reply).isTrue();
        assertThat(reply.json().get("detail").asString()).contains(detailFragment);
    }

    private static void assertField(Reply reply, String field) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.isProblem()).as("content type of %s", reply).isTrue();
        assertThat(reply.json().get("field").asString()).as(reply.toString()).isEqualTo(field);
    }
}
