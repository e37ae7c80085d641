package io.roster.process;

import io.roster.testing.ProcessCluster;
import io.roster.testing.RosterHttp;
import io.roster.testing.FreePorts;
import io.roster.testing.RosterProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The reconfiguration journeys an operator makes, on real processes. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MembershipIT {

    private static final Logger LOG = LoggerFactory.getLogger(MembershipIT.class);

    private static final Duration READY = Duration.ofSeconds(90);

    @Test
    void updateRemoveAndAddBackAMember(TestInfo test) throws Exception {
        try (ProcessCluster cluster = cluster(test)) {
            cluster.start().awaitReady(READY);
            RosterProcess n1 = cluster.member("n1");
            List<JsonNode> members = members(n1);
            assertThat(members).extracting(m -> m.path("name").asString()).containsExactlyInAnyOrder("n1", "n2", "n3");
            assertThat(members).allSatisfy(m -> assertThat(m.path("status").asString()).isEqualTo("started"));
            assertThat(members).filteredOn(m -> m.path("isLeader").asBoolean()).hasSize(1);

            // Move n3 to a new peer port: update, then restart it there with its data dir.
            RosterProcess n3 = cluster.member("n3");
            String n3Id = idOf(members, "n3");
            int newPeerPort = FreePorts.next();
            String newPeerUrl = ProcessCluster.peerUrl(newPeerPort);
            RosterHttp.Reply updated = n1.client().request("PUT", "/v1/members/" + n3Id, Map.of("peerUrls", List.of(newPeerUrl)));
            assertThat(updated.status()).as(updated.body()).isEqualTo(200);
            n3.stop();
            RosterProcess movedN3 = cluster.add(cluster.memberBuilder("n3", newPeerPort)
                    .dataDir(n3.dataDir()).clientPort(n3.clientPort())
                    .env("ROSTER_INITIAL_CLUSTER", cluster.initialCluster().replace(peerUrlOf(cluster, "n3"), newPeerUrl))
                    .env("ROSTER_INITIAL_CLUSTER_STATE", "existing").build());
            movedN3.start().waitReady(READY);
            await("n3 serves at its new peer URL").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode moved = memberNamed(members(n1), "n3");
                assertThat(moved.path("peerUrls").get(0).asString()).isEqualTo(newPeerUrl);
                assertThat(moved.path("id").asString()).isEqualTo(n3Id);
                assertThat(put(movedN3, "moved/n3", "yes").status()).isEqualTo(200);
            });

            // Remove n2; list from the remaining endpoints.
            RosterProcess n2 = cluster.member("n2");
            put(n1, "before/removal", "1");
            RosterHttp.Reply removed = n1.client().request("DELETE", "/v1/members/" + idOf(members, "n2"), null);
            assertThat(removed.status()).as(removed.body()).isEqualTo(200);
            for (RosterProcess remaining : List.of(n1, movedN3)) {
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(members(remaining))
                        .extracting(m -> m.path("name").asString()).containsExactlyInAnyOrder("n1", "n3"));
            }
            await("the removed member refuses requests").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(n2.client().request("GET", "/v1/kv/before/removal", null).status()).isEqualTo(410));
            assertThat(n2.client().request("PUT", "/v1/services/web/instances/web-1/heartbeat", null).status())
                    .as("a heartbeat, which has a path of its own ahead of the dispatcher").isEqualTo(410);
            assertThat(n2.output()).contains("was removed from the cluster");
            n2.stop();

            // Its old data dir is refused, and so is "new" once it has been added back.
            RosterProcess stale = cluster.add(cluster.memberBuilder("n2", n2.peerPort()).dataDir(n2.dataDir())
                    .env("ROSTER_INITIAL_CLUSTER", cluster.initialCluster()).env("ROSTER_INITIAL_CLUSTER_STATE", "existing").build());
            assertThat(stale.start().awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(stale.output()).contains("Roster cannot start:", "was removed from the cluster", "wipe its data dir");

            RosterHttp.Reply added = n1.client().request("POST", "/v1/members",
                    Map.of("name", "n2", "peerUrls", List.of(peerUrlOf(cluster, "n2"))));
            assertThat(added.status()).as(added.body()).isEqualTo(201);
            assertThat(added.json().path("member").path("status").asString()).isEqualTo("unstarted");
            assertThat(added.json().path("initialClusterState").asString()).isEqualTo("existing");
            String initialCluster = added.json().path("env").path("ROSTER_INITIAL_CLUSTER").asString();
            assertThat(initialCluster).contains("n2=" + peerUrlOf(cluster, "n2"), "n3=" + newPeerUrl);

            Path wiped = Files.createDirectories(n2.dataDir().resolveSibling("n2-wiped-new"));
            RosterProcess asNew = cluster.add(cluster.memberBuilder("n2", n2.peerPort()).dataDir(wiped)
                    .env("ROSTER_INITIAL_CLUSTER", initialCluster).env("ROSTER_INITIAL_CLUSTER_STATE", "new").build());
            assertThat(asNew.start().awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(asNew.output()).contains("Roster cannot start:", "already running", "initial-cluster-state=existing");

            RosterProcess rejoined = cluster.add(cluster.memberBuilder("n2", n2.peerPort())
                    .dataDir(n2.dataDir().resolveSibling("n2-rejoined"))
                    .env("ROSTER_INITIAL_CLUSTER", initialCluster).env("ROSTER_INITIAL_CLUSTER_STATE", "existing").build());
            rejoined.start().waitReady(READY);
            await("all three started, n2 a voter again").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<JsonNode> now = members(n1);
                assertThat(now).extracting(m -> m.path("name").asString()).containsExactlyInAnyOrder("n1", "n2", "n3");
                assertThat(now).allSatisfy(m -> {
                    assertThat(m.path("status").asString()).isEqualTo("started");
                    assertThat(m.path("isLearner").asBoolean()).isFalse();
                });
            });
            assertSameData(List.of(n1, rejoined, movedN3));
        }
    }

    @Test
    void growingToFiveAndShrinkingBackLosesNoWrite(TestInfo test) throws Exception {
        try (ProcessCluster cluster = cluster(test)) {
            cluster.start().awaitReady(READY);
            Writer writer = new Writer(List.of(cluster.member("n1"), cluster.member("n2"), cluster.member("n3")));
            Thread thread = new Thread(writer, "membership-writer");
            thread.setDaemon(true);
            thread.start();
            try {
                RosterProcess n1 = cluster.member("n1");
                List<RosterProcess> grown = new ArrayList<>();
                for (String name : List.of("n4", "n5")) {
                    int peerPort = FreePorts.next();
                    RosterHttp.Reply added = n1.client().request("POST", "/v1/members",
                            Map.of("name", name, "peerUrls", List.of(ProcessCluster.peerUrl(peerPort))));
                    assertThat(added.status()).as(added.body()).isEqualTo(201);
                    RosterProcess member = cluster.add(cluster.memberBuilder(name, peerPort)
                            .env("ROSTER_INITIAL_CLUSTER", added.json().path("initialCluster").asString())
                            .env("ROSTER_INITIAL_CLUSTER_STATE", "existing").build());
                    member.start().waitReady(READY);
                    grown.add(member);
                }
                await("five started voters").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    List<JsonNode> members = members(n1);
                    assertThat(members).hasSize(5).allSatisfy(m -> {
                        assertThat(m.path("status").asString()).isEqualTo("started");
                        assertThat(m.path("isLearner").asBoolean()).isFalse();
                    });
                    JsonNode leaderHealth = cluster.leader().client().request("GET", "/actuator/health", null).json();
                    assertThat(leaderHealth.path("components").path("raft").path("details").path("members").valueStream()
                            .filter(m -> m.path("state").asString().equals("replicating")).count()).isEqualTo(4);
                });
                int atFive = writer.acked.size();
                for (RosterProcess member : grown) {
                    String id = idOf(members(n1), member.name());
                    RosterHttp.Reply removed = n1.client().request("DELETE", "/v1/members/" + id, null);
                    assertThat(removed.status()).as(removed.body()).isEqualTo(200);
                    member.stop();
                }
                await("three members again").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(members(n1)).extracting(m -> m.path("name").asString()).containsExactlyInAnyOrder("n1", "n2", "n3"));
                await("writes keep being acknowledged").atMost(Duration.ofSeconds(30))
                        .until(() -> writer.acked.size() > atFive + 50);
            } finally {
                writer.stop.set(true);
                thread.join(10_000);
            }
            assertThat(writer.failed.get()).as("writes answered with an unexpected status").isZero();
            List<RosterProcess> members = List.of(cluster.member("n1"), cluster.member("n2"), cluster.member("n3"));
            for (RosterProcess member : members) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    for (Map.Entry<String, String> ack : writer.acked.entrySet()) {
                        RosterHttp.Reply read = member.client().kvGet(ack.getKey(), RosterHttp.SERIALIZABLE);
                        assertThat(read.status()).as("%s on %s", ack.getKey(), member.name()).isEqualTo(200);
                        assertThat(read.string("value")).isEqualTo(ack.getValue());
                    }
                });
            }
            LOG.info("{} writes acknowledged while growing to five and shrinking back, none lost", writer.acked.size());
        }
    }

    private static ProcessCluster cluster(TestInfo test) {
        return ProcessCluster.builder().members(3).electionTimeout(Duration.ofMillis(1000))
                .logDir(RosterProcess.logDirFor(MembershipIT.class, test.getTestMethod().orElseThrow().getName())).build();
    }

    private static List<JsonNode> members(RosterProcess via) {
        RosterHttp.Reply response = via.client().request("GET", "/v1/members", null);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("members").valueStream().toList();
    }

    private static JsonNode memberNamed(List<JsonNode> members, String name) {
        return members.stream().filter(m -> m.path("name").asString().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no member " + name + " in " + members));
    }

    private static String idOf(List<JsonNode> members, String name) {
        return memberNamed(members, name).path("id").asString();
    }

    private static String peerUrlOf(ProcessCluster cluster, String name) {
        return Stream.of(cluster.initialCluster().split(",")).filter(entry -> entry.startsWith(name + "="))
                .map(entry -> entry.substring(name.length() + 1)).findFirst().orElseThrow();
    }

    private static RosterHttp.Reply put(RosterProcess via, String key, String value) {
        return via.client().kvPut(key, value);
    }

    /** Every member holds the same keys and values (local reads, once each has applied what the leader committed). */
    private static void assertSameData(List<RosterProcess> members) {
        await("identical data on every member").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> views = new ArrayList<>();
            for (RosterProcess member : members) {
                JsonNode range = member.client().kvRange("", 0, RosterHttp.SERIALIZABLE).json();
                views.add(range.path("kvs").valueStream().sorted(Comparator.comparing(kv -> kv.path("key").asString()))
                        .map(kv -> kv.path("key").asString() + "=" + kv.path("value").asString() + "@" + kv.path("modRevision").asLong())
                        .toList().toString());
            }
            assertThat(views).as("data per member").allMatch(view -> view.equals(views.get(0)));
            assertThat(views.get(0)).contains("moved/n3=yes", "before/removal=1");
        });
    }

    /** Writes distinct keys round-robin through the given members, recording only acknowledged ones. */
    private static final class Writer implements Runnable {
        final Map<String, String> acked = new ConcurrentHashMap<>();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicBoolean stop = new AtomicBoolean();
        private final List<RosterProcess> targets;

        Writer(List<RosterProcess> targets) {
            this.targets = targets;
        }

        @Override
        public void run() {
            for (int i = 0; !stop.get(); i++) {
                String key = "grow/" + i;
                try {
                    RosterHttp.Reply response = targets.get(i % targets.size()).client().kvPut(key, "v" + i);
                    if (response.status() == 200) {
                        acked.put(key, "v" + i);
                    } else if (response.status() != 503) {
                        failed.incrementAndGet();
                    }
                } catch (UncheckedIOException e) {
                    // connection trouble: outcome unknown, not counted either way
                }
            }
        }
    }
}
