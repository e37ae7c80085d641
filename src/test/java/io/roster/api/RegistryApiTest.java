package io.roster.api;

import io.roster.testing.RealNodeTest;
import io.roster.testing.RosterHttp;
import io.roster.testing.RosterHttp.Reply;
import io.roster.testing.EventStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The service registry API on one real node, driven as a service and its clients drive it. */
@TestPropertySource(properties = {"roster.watch.keep-alive-interval=200ms", "roster.watch.history-events=50"})
@AutoConfigureMetrics // tests turn metrics export off unless asked; heartbeats' request metrics are checked here
class RegistryApiTest extends RealNodeTest {

    private static final AtomicInteger SERVICES = new AtomicInteger();

    String service;

    @BeforeEach
    void newService() {
        service = "svc-" + SERVICES.incrementAndGet();
    }

    private String instancePath(String id) {
        return "/v1/services/" + service + "/instances/" + id;
    }

    private Reply register(String id, Map<String, Object> body) {
        return http.put(instancePath(id), RosterHttp.json(body));
    }

    private static Map<String, Object> instance(Object... fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("host", "10.1.2.3");
        body.put("port", 8080);
        for (int i = 0; i < fields.length; i += 2) {
            body.put((String) fields[i], fields[i + 1]);
        }
        return body;
    }

    @Test
    void registeringReturnsTheStoredInstanceWithDefaultsLeaseAndRevision() {
        Reply reply = register("web-1", instance());

        assertThat(reply.status()).isEqualTo(201);
        JsonNode body = reply.json();
        assertThat(body.get("service").asString()).isEqualTo(service);
        assertThat(body.get("instanceId").asString()).isEqualTo("web-1");
        assertThat(body.get("host").asString()).isEqualTo("10.1.2.3");
        assertThat(body.get("port").asInt()).isEqualTo(8080);
        assertThat(body.get("secure").asBoolean()).isFalse();
        assertThat(body.get("ttlSeconds").asLong()).isEqualTo(30);
        assertThat(body.get("weight").asInt()).isEqualTo(100);
        assertThat(body.get("status").asString()).isEqualTo("UP");
        assertThat(body.get("metadata").size()).isZero();
        assertThat(body.get("leaseId").asString()).matches("[0-9a-f]{16}");
        assertThat(body.get("revision").asLong()).isEqualTo(body.get("modRevision").asLong());
        assertThat(reply.revisionHeader()).isEqualTo(body.get("revision").asString());
    }

    @Test
    void anInstanceKeepsTheTimeItWasRegisteredAcrossPatchesAndAReRegistrationTakesANewOne() {
        java.time.Instant before = java.time.Instant.now();
        Reply registered = register("web-1", instance());
        java.time.Instant after = java.time.Instant.now();

        java.time.Instant at = java.time.Instant.parse(registered.json().get("registeredAt").asString());
        assertThat(at).isBetween(before.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), after);
        assertThat(patch("web-1", "{\"weight\":5}").json().get("registeredAt").asString()).isEqualTo(at.toString());
        assertThat(http.get(instancePath("web-1")).json().get("registeredAt").asString()).isEqualTo(at.toString());

        await("the clock moves past the first registration").atMost(Duration.ofSeconds(5))
                .until(() -> java.time.Instant.now().isAfter(at.plusMillis(2)));
        java.time.Instant again = java.time.Instant.parse(register("web-1", instance()).json().get("registeredAt").asString());
        assertThat(again).isAfter(at);
    }

    @Test
    void registeringTheSameIdAgainReplacesItAndKeepsOneInstance() {
        Reply first = register("web-1", instance("zone", "eu-1a"));
        Reply second = register("web-1", instance("zone", "eu-1b", "ttlSeconds", 60));

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("createRevision").asLong()).isEqualTo(first.json().get("createRevision").asLong());
        JsonNode instances = http.get("/v1/services/" + service + "/instances").json().get("instances");
        assertThat(instances.size()).isEqualTo(1);
        assertThat(instances.get(0).get("zone").asString()).isEqualTo("eu-1b");
        assertThat(instances.get(0).get("ttlSeconds").asLong()).isEqualTo(60);
        String oldLease = first.json().get("leaseId").asString();
        assertThat(http.get("/v1/leases/" + oldLease).status()).as("the replaced lease is retired").isEqualTo(404);
    }

    @Test
    void aHeartbeatRenewsTheLeaseWithoutChangingTheRevision() {
        register("web-1", instance("ttlSeconds", 10));
        long revision = http.get("/v1/status").json().get("revision").asLong();

        Reply beat = http.put(instancePath("web-1") + "/heartbeat", null);

        assertThat(beat.status()).isEqualTo(200);
        assertThat(beat.contentType()).isEqualTo("application/json");
        assertThat(beat.json().get("ttlSeconds").asLong()).isEqualTo(10);
        assertThat(beat.json().get("remainingSeconds").asLong()).isEqualTo(10);
        assertThat(beat.revisionHeader()).isEqualTo(Long.toString(revision));
        assertThat(http.get("/v1/status").json().get("revision").asLong()).as("a heartbeat is not a write").isEqualTo(revision);
    }

    /**
     * Heartbeats have an endpoint of their own ahead of the dispatcher: an escaped spelling of an instance is
     * refused before it, as on every path, and another method is told which one the path takes.
     */
    @Test
    void aHeartbeatPathWithEscapesIsRefusedAndAnotherMethodIsServedAsAnyOther() {
        register("web-1", instance("ttlSeconds", 10));

        Reply escaped = http.put("/v1/services/" + service + "/instances/web%2D1/heartbeat", null);
        assertThat(escaped.status()).as(escaped.toString()).isEqualTo(400);
        assertThat(escaped.isProblem()).isTrue();
        assertThat(escaped.json().get("field").asString()).isEqualTo("path");

        Reply get = http.get(instancePath("web-1") + "/heartbeat");
        assertThat(get.status()).as(get.toString()).isEqualTo(405);
        assertThat(get.isProblem()).isTrue();
        assertThat(get.headers().firstValue("Allow")).hasValue("PUT");
        // What must be escaped decodes to a name the registry refuses, with the field at fault.
        Reply space = http.put("/v1/services/" + service + "/instances/web%201/heartbeat", null);
        assertThat(space.status()).as(space.toString()).isEqualTo(400);
        assertThat(space.json().get("field").asString()).isEqualTo("instanceId");
        assertThat(space.json().get("detail").asString()).contains("'web 1'");
        Reply trailingSlash = http.put(instancePath("web-1") + "/heartbeat/", null);
        assertThat(trailingSlash.status()).as(trailingSlash.toString()).isEqualTo(404);
        assertThat(trailingSlash.isProblem()).isTrue();
    }

    @Test
    void heartbeatsAreTimedUnderTheirUriTemplateWithTheirStatus() {
        register("web-1", instance());
        assertThat(http.put(instancePath("web-1") + "/heartbeat", null).status()).isEqualTo(200);
        assertThat(http.put(instancePath("ghost") + "/heartbeat", null).status()).isEqualTo(404);

        String exposition = http.get("/actuator/prometheus").body();
        String uri = "uri=\"/v1/services/{service}/instances/{instanceId}/heartbeat\"";
        assertThat(exposition.lines().filter(line -> line.startsWith("http_server_requests_seconds_count{") && line.contains(uri)))
                .anySatisfy(line -> assertThat(line).contains("method=\"PUT\"", "status=\"200\""))
                .anySatisfy(line -> assertThat(line).contains("method=\"PUT\"", "status=\"404\""));
    }

    @Test
    void theTimeLeftOnEveryInstancesLeaseComesInOneAnswer() {
        register("web-1", instance("ttlSeconds", 10));
        register("web-2", instance("ttlSeconds", 20));

        Reply leases = http.get("/v1/services/" + service + "/leases");

        assertThat(leases.status()).as(leases.toString()).isEqualTo(200);
        JsonNode remaining = leases.json().get("remainingMillis");
        assertThat(remaining.size()).isEqualTo(2);
        assertThat(remaining.get("web-1").asLong()).isBetween(1L, 10_000L);
        assertThat(remaining.get("web-2").asLong()).isBetween(10_001L, 20_000L);
        assertThat(leases.json().get("revision").asLong()).isEqualTo(Long.parseLong(leases.revisionHeader()));
        assertThat(http.get("/v1/services/nothing-here/leases").json().get("remainingMillis").size()).isZero();
        Reply invalid = http.get("/v1/services/Not_A_Name/leases");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("field").asString()).isEqualTo("service");
    }

    @Test
    void aHeartbeatForAnUnknownInstanceIsA404SayingToRegisterAgain() {
        Reply beat = http.put(instancePath("ghost") + "/heartbeat", null);

        assertThat(beat.status()).isEqualTo(404);
        assertThat(beat.isProblem()).isTrue();
        assertThat(beat.json().get("detail").asString()).contains("register it again");
    }

    @Test
    void anInstanceWithoutHeartbeatsExpiresAndWatchersAreToldWhy() {
        try (EventStream watch = http.events("/v1/watch/services/" + service)) {
            register("short", instance("ttlSeconds", 1));

            await().atMost(Duration.ofSeconds(30)).until(() -> http.get(instancePath("short")).status() == 404);
            await().atMost(Duration.ofSeconds(30)).until(() -> watch.events().size() == 2);
            assertThat(watch.events().get(0).data().get("reason").asString()).isEqualTo("registered");
            JsonNode expired = watch.events().get(1).data();
            assertThat(expired.get("type").asString()).isEqualTo("DELETE");
            assertThat(expired.get("reason").asString()).isEqualTo("expired");
            assertThat(expired.has("instance")).isFalse();
            assertThat(http.put(instancePath("short") + "/heartbeat", null).status()).isEqualTo(404);
        }
    }

    @Test
    void patchChangesStatusWeightAndMetadataInPlace() {
        Reply registered = register("web-1", instance("metadata", Map.of("version", "1.0")));

        Reply patched = http.send(java.net.http.HttpRequest.newBuilder(http.uri(instancePath("web-1")))
                .header("Content-Type", "application/json")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"status\":\"OUT_OF_SERVICE\",\"weight\":5,\"metadata\":{\"version\":\"1.1\"}}")));

        assertThat(patched.status()).isEqualTo(200);
        JsonNode body = patched.json();
        assertThat(body.get("status").asString()).isEqualTo("OUT_OF_SERVICE");
        assertThat(body.get("weight").asInt()).isEqualTo(5);
        assertThat(body.get("metadata").get("version").asString()).isEqualTo("1.1");
        assertThat(body.get("leaseId").asString()).isEqualTo(registered.json().get("leaseId").asString());
        assertThat(body.get("host").asString()).isEqualTo("10.1.2.3");
        assertThat(http.get("/v1/services/" + service + "/instances?status=UP").json().get("instances").size()).isZero();
        assertThat(patch("ghost", "{\"status\":\"UP\"}").status()).isEqualTo(404);
        assertThat(patch("web-1", "{}").status()).isEqualTo(400);
    }

    private Reply patch(String id, String json) {
        return http.send(java.net.http.HttpRequest.newBuilder(http.uri(instancePath(id)))
                .header("Content-Type", "application/json")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(json)));
    }

    @Test
    void deregisteringRemovesTheInstanceAndWatchersSeeWhy() {
        register("web-1", instance());
        long after = http.get("/v1/status").json().get("revision").asLong();
        try (EventStream watch = http.events("/v1/watch/services/" + service + "?revision=" + after)) {
            Reply removed = http.delete(instancePath("web-1"));

            assertThat(removed.status()).isEqualTo(204);
            assertThat(removed.revisionHeader()).isNotNull();
            assertThat(http.get(instancePath("web-1")).status()).isEqualTo(404);
            assertThat(http.delete(instancePath("web-1")).status()).isEqualTo(404);
            await().atMost(Duration.ofSeconds(30)).until(() -> !watch.events().isEmpty());
            assertThat(watch.events()).extracting(event -> event.data().get("reason").asString()).containsExactly("deregistered");
        }
    }

    @Test
    void lookupsFilterByStatusZoneAndMetadata() {
        register("a", instance("zone", "eu-1a", "metadata", Map.of("version", "1", "track", "stable")));
        register("b", instance("zone", "eu-1b", "metadata", Map.of("version", "2", "track", "stable")));
        register("c", instance("zone", "eu-1a", "status", "DOWN", "metadata", Map.of("version", "2")));

        assertThat(ids("")).containsExactly("a", "b", "c");
        assertThat(ids("?status=UP")).containsExactly("a", "b");
        assertThat(ids("?zone=eu-1a")).containsExactly("a", "c");
        assertThat(ids("?metadata=version=2")).containsExactly("b", "c");
        assertThat(ids("?metadata=version=2&metadata=track=stable")).containsExactly("b");
        assertThat(ids("?status=UP&zone=eu-1a&consistency=serializable")).containsExactly("a");
        assertThat(http.get("/v1/services/" + service + "/instances/b").json().get("zone").asString()).isEqualTo("eu-1b");

        JsonNode services = http.get("/v1/services").json();
        JsonNode mine = services.get("services").valueStream()
                .filter(s -> s.get("name").asString().equals(service)).findFirst().orElseThrow();
        assertThat(mine.get("instances").asInt()).isEqualTo(3);
        assertThat(mine.get("up").asInt()).isEqualTo(2);
        assertThat(services.get("revision").asLong()).isPositive();
    }

    private java.util.List<String> ids(String query) {
        Reply reply = http.get("/v1/services/" + service + "/instances" + query);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().get("service").asString()).isEqualTo(service);
        return reply.json().get("instances").valueStream().map(i -> i.get("instanceId").asString()).toList();
    }

    @Test
    void aBlockingQueryAnswersWhenTheServiceChangesOrWhenTheWaitEnds() throws Exception {
        long revision = register("a", instance()).json().get("revision").asLong();

        long start = System.nanoTime();
        Reply idle = http.get("/v1/services/" + service + "/instances?revision=" + revision + "&wait=300ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(idle.json().get("instances").size()).isEqualTo(1);

        Reply stale = http.get("/v1/services/" + service + "/instances?revision=" + (revision - 1) + "&wait=30s");
        assertThat(stale.json().get("instances").size()).as("answered at once: changed after revision-1").isEqualTo(1);

        java.util.concurrent.CompletableFuture<Reply> blocked = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> http.get("/v1/services/" + service + "/instances?revision=" + revision + "&wait=30s"));
        register("other-service-does-not-wake-it", instance());
        http.put("/v1/services/elsewhere-" + service + "/instances/x", RosterHttp.json(instance()));
        register("b", instance());
        Reply woken = blocked.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(woken.json().get("instances").size()).isGreaterThanOrEqualTo(2);
        assertThat(woken.json().get("revision").asLong()).isGreaterThan(revision);
    }

    @Test
    void aWatchResumesFromARevisionWithoutGapsOrRepeats() {
        // Revisions are the node's, shared with every other key: the ones to expect are those the writes returned.
        long start = register("w0", instance("ttlSeconds", 3600)).json().get("revision").asLong();
        java.util.List<Long> written = new java.util.ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            written.add(register("w" + i, instance("ttlSeconds", 3600)).json().get("revision").asLong());
        }

        try (EventStream first = http.events("/v1/watch/services/" + service + "?revision=" + start)) {
            assertThat(first.status()).as(first.errorBody()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> first.events().size() >= 5 || first.ended());
            assertThat(first.events()).extracting(EventStream.Event::id)
                    .containsExactlyElementsOf(written.stream().map(String::valueOf).toList());
            assertThat(first.events()).extracting(e -> e.data().get("instanceId").asString())
                    .containsExactly("w1", "w2", "w3", "w4", "w5");
        }
        try (EventStream resumed = http.events("/v1/watch/services/" + service + "?revision=" + written.get(2))) {
            assertThat(resumed.status()).as(resumed.errorBody()).isEqualTo(200);
            long sixth = register("w6", instance("ttlSeconds", 3600)).json().get("revision").asLong();
            await().atMost(Duration.ofSeconds(30)).until(() -> resumed.events().size() >= 3 || resumed.ended());
            assertThat(resumed.events()).as("ended early: %s", resumed.ended()).extracting(EventStream.Event::revision)
                    .containsExactly(written.get(3), written.get(4), sixth);
        }
    }

    @Test
    void anIdleWatchStreamGetsKeepAliveComments() throws Exception {
        java.net.URL url = http.uri("/v1/watch/services/" + service).toURL();
        java.net.HttpURLConnection connection = (java.net.HttpURLConnection) url.openConnection();
        connection.setReadTimeout(5000);
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(connection.getInputStream()))) {
            assertThat(connection.getContentType()).startsWith("text/event-stream");
            assertThat(in.readLine()).startsWith(":watching changes after revision");
            String line;
            do {
                line = in.readLine();
            } while (line != null && line.isEmpty());
            assertThat(line).isEqualTo(":keep-alive");
        } finally {
            connection.disconnect();
        }
    }

    @Test
    void watchingFromARevisionOlderThanTheHistoryIsA410WithTheCurrentRevision() {
        // Expiring together, these would empty the small history under the other watch tests: they outlive the class.
        long first = register("old-0", instance("ttlSeconds", 3600)).json().get("revision").asLong();
        for (int i = 1; i <= 60; i++) {
            register("old-" + i, instance("ttlSeconds", 3600));
        }

        try (EventStream watch = http.events("/v1/watch/services/" + service + "?revision=" + first)) {
            assertThat(watch.status()).isEqualTo(410);
            JsonNode problem = RosterHttp.JSON.readTree(watch.errorBody());
            assertThat(problem.has("currentRevision")).as(watch.errorBody()).isTrue();
            assertThat(problem.get("currentRevision").asLong()).isGreaterThanOrEqualTo(first + 60);
            assertThat(problem.get("detail").asString()).contains("list again");
        }
        try (EventStream negative = http.events("/v1/watch/services?revision=-5")) {
            assertThat(negative.status()).isEqualTo(400);
        }
    }

    // ---- validation: 400 naming the field, nothing registered ----

    @Test
    void invalidRegistrationsAre400sNamingTheField() {
        assertField(register("web-1", Map.of("port", 8080)), "host");
        assertField(register("web-1", Map.of("host", "h")), "port");
        assertField(register("web-1", instance("port", 0)), "port");
        assertField(register("web-1", instance("port", 65536)), "port");
        assertField(register("web-1", instance("ttlSeconds", 0)), "ttlSeconds");
        assertField(register("web-1", instance("ttlSeconds", 3601)), "ttlSeconds");
        assertField(register("web-1", instance("status", "SLEEPING")), "status");
        assertField(register("web-1", instance("weight", -1)), "weight");
        assertField(register("web-1", instance("host", "bad host")), "host");
        Map<String, String> tooMany = new LinkedHashMap<>();
        for (int i = 0; i < 65; i++) {
            tooMany.put("k" + i, "v");
        }
        assertField(register("web-1", instance("metadata", tooMany)), "metadata");
        assertField(register("web-1", instance("metadata", Map.of("big", "x".repeat(16 * 1024)))), "metadata");
        assertField(http.put("/v1/services/Bad_Name/instances/web-1", RosterHttp.json(instance())), "service");
        assertField(http.put("/v1/services/" + service + "/instances/-web", RosterHttp.json(instance())), "instanceId");
        assertField(http.put("/v1/services/" + "s".repeat(254) + "/instances/x", RosterHttp.json(instance())), "service");
        assertField(http.put("/v1/services/Bad_Name/instances/web-1/heartbeat", null), "service");
        assertField(http.put("/v1/services/" + service + "/instances/-web/heartbeat", null), "instanceId");
        assertField(http.get("/v1/services/" + service + "/instances?status=maybe"), "status");
        assertField(http.get("/v1/services/" + service + "/instances?metadata=novalue"), "metadata");
        assertField(http.get("/v1/services/" + service + "/instances?revision=1&wait=forever"), "wait");
        assertField(http.get("/v1/services/" + service + "/instances?revision=1&wait=1h"), "wait");
        assertField(http.put("/v1/kv//registry/services/" + service + "/x", "{\"value\":\"forged\"}"), "key");
        assertThat(http.get("/v1/services/" + service + "/instances").json().get("instances").size()).isZero();
    }

    @Test
    void metadataUpToTheLimitsIsAccepted() {
        Map<String, String> sixtyFour = new LinkedHashMap<>();
        for (int i = 0; i < 64; i++) {
            sixtyFour.put("k" + i, "v");
        }
        assertThat(register("web-1", instance("metadata", sixtyFour)).status()).isEqualTo(201);
        assertThat(register("web-2", instance("metadata", Map.of("k", "x".repeat(16 * 1024 - 1)))).status()).isEqualTo(201);
    }

    private static void assertField(Reply reply, String field) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.isProblem()).as("content type of %s", reply).isTrue();
        assertThat(reply.json().get("field").asString()).as(reply.toString()).isEqualTo(field);
    }
}
