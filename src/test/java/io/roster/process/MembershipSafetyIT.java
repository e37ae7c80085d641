package io.roster.process;

import io.roster.testing.ProcessCluster;
import io.roster.testing.RosterHttp;
import io.roster.testing.FreePorts;
import io.roster.testing.RosterProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The guard rails of reconfiguration: learners, leadership moves, quorum checks, and forcing a new cluster. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MembershipSafetyIT {

    private static final Duration READY = Duration.ofSeconds(90);

    /**
     * Found by ChaosIT: the removal answered once the member table changed, before the leader took the
     * member out of Raft's configuration. Of two members, a removed leader stopped at once (what an
     * operator does next) was still a voter, and the member left waited for it forever.
     */
    @Test
    void aLeaderStoppedAsSoonAsItsRemovalReturnsLeavesAWorkingCluster(TestInfo test) throws Exception {
        try (ProcessCluster cluster = cluster(test)) {
            cluster.start().awaitReady(READY);
            RosterProcess leader = cluster.leader();
            RosterProcess follower = cluster.followers().get(0);
            RosterProcess remaining = cluster.followers().get(1);
            RosterHttp.Reply first = remaining.client().request("DELETE", "/v1/members/" + member(remaining,
                    follower.name()).path("id").asString(), null);
            assertThat(first.status()).as(first.body()).isEqualTo(200);
            follower.kill9();

            RosterHttp.Reply removed = remaining.client().request("DELETE", "/v1/members/" + member(remaining,
                    leader.name()).path("id").asString(), null);
            assertThat(removed.status()).as(removed.body()).isEqualTo(200);
            leader.kill9();

            await("the member left leads alone and takes writes").atMost(Duration.ofSeconds(30))
                    .ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() -> {
                RosterHttp.Reply written = remaining.client().kvPut("after/removal", "ok");
                assertThat(written.status()).as(written.body()).isEqualTo(200);
            });
        }
    }

    @Test
    void aLearnerIsPromotedOnlyWhenRunningAndALosingRemovalIsRefused(TestInfo test) throws Exception {
        try (ProcessCluster cluster = cluster(test)) {
            cluster.start().awaitReady(READY);
            RosterProcess n1 = cluster.member("n1");
            int peerPort = FreePorts.next();
            RosterHttp.Reply added = n1.client().request("POST", "/v1/members",
                    Map.of("name", "n4", "peerUrls", List.of(ProcessCluster.peerUrl(peerPort)), "isLearner", true));
            assertThat(added.status()).as(added.body()).isEqualTo(201);
            String learnerId = added.json().path("member").path("id").asString();
            assertThat(added.json().path("member").path("isLearner").asBoolean()).isTrue();

            RosterHttp.Reply early = n1.client().request("POST", "/v1/members/" + learnerId + "/promote", null);
            assertThat(early.status()).as(early.body()).isEqualTo(409);
            assertThat(early.json().path("detail").asString()).contains("not running");

            RosterProcess n4 = cluster.add(cluster.memberBuilder("n4", peerPort)
                    .env("ROSTER_INITIAL_CLUSTER", added.json().path("initialCluster").asString())
                    .env("ROSTER_INITIAL_CLUSTER_STATE", "existing").build());
            n4.start().waitReady(READY);
            await("a running learner stays a learner until promoted").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode learner = member(n1, "n4");
                assertThat(learner.path("status").asString()).isEqualTo("started");
                assertThat(learner.path("isLearner").asBoolean()).isTrue();
                assertThat(n4.client().get("/v1/status").json().path("role").asString()).isEqualTo("learner");
                assertThat(n4.client().get("/actuator/health/raft").json().path("details").path("role").asString())
                        .as("the raft health contributor tells a learner from a follower").isEqualTo("learner");
            });
            await("promotion once caught up").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                RosterHttp.Reply promoted = n1.client().request("POST", "/v1/members/" + learnerId + "/promote", null);
                assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);
            });
            assertThat(member(n1, "n4").path("isLearner").asBoolean()).isFalse();

            RosterHttp.Reply moved = n1.client().request("POST", "/v1/members/" + learnerId + "/transfer-leadership", null);
            assertThat(moved.status()).as(moved.body()).isEqualTo(200);
            await("n4 leads").atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(member(n1, "n4").path("isLeader").asBoolean()).isTrue());

            // Back to three voters; with one of them down, removing a running one would leave no quorum.
            RosterHttp.Reply shrunk = n4.client().request("DELETE", "/v1/members/" + member(n4, "n1").path("id").asString(), null);
            assertThat(shrunk.status()).as(shrunk.body()).isEqualTo(200);
            await("n4 leads n2 and n3").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(members(n4)).extracting(m -> m.path("name").asString()).containsExactlyInAnyOrder("n2", "n3", "n4"));
            String n3 = member(n4, "n3").path("id").asString();
            // Right after a kill, before the leader can have noticed: the check must still refuse.
            cluster.member("n2").kill9();
            RosterHttp.Reply refused = n4.client().request("DELETE", "/v1/members/" + n3, null);
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.json().path("detail").asString()).contains("quorum").contains("force");
            assertThat(members(n4)).as("nothing was removed").hasSize(3);
        }
    }

    @Test
    void forcingANewClusterIsRefusedWhileAQuorumAnswersAndRestoresServiceAfterLosingIt(TestInfo test) throws Exception {
        try (ProcessCluster cluster = cluster(test)) {
            cluster.start().awaitReady(READY);
            RosterProcess n1 = cluster.member("n1");
            assertThat(n1.client().kvPut("survives/force", "yes").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(cluster.member("n3").client().kvGet("survives/force", RosterHttp.SERIALIZABLE).status()).isEqualTo(200));
            RosterProcess n3 = cluster.member("n3");
            n3.stop();

            RosterProcess premature = cluster.add(cluster.memberBuilder("n3", n3.peerPort()).dataDir(n3.dataDir())
                    .env("ROSTER_INITIAL_CLUSTER", cluster.initialCluster()).env("ROSTER_FORCE_NEW_CLUSTER", "true").build());
            assertThat(premature.start().awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(premature.output()).contains("Roster cannot start:", "refusing roster.force-new-cluster", "quorum");

            cluster.member("n1").kill9();
            cluster.member("n2").kill9();
            RosterProcess forced = cluster.add(cluster.memberBuilder("n3", n3.peerPort()).dataDir(n3.dataDir())
                    .clientPort(n3.clientPort()).env("ROSTER_INITIAL_CLUSTER", cluster.initialCluster())
                    .env("ROSTER_FORCE_NEW_CLUSTER", "true").build());
            forced.start().waitReady(READY);
            assertThat(forced.client().kvGet("survives/force", null).string("value")).isEqualTo("yes");
            assertThat(forced.client().kvPut("after/force", "ok").status()).isEqualTo(200);
            await("the former members are removed").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(members(forced)).extracting(m -> m.path("name").asString()).containsExactly("n3"));
        }
    }

    private static ProcessCluster cluster(TestInfo test) {
        return ProcessCluster.builder().members(3).electionTimeout(Duration.ofMillis(1000))
                .logDir(RosterProcess.logDirFor(MembershipSafetyIT.class, test.getTestMethod().orElseThrow().getName())).build();
    }

    private static List<JsonNode> members(RosterProcess via) {
        return via.client().request("GET", "/v1/members?consistency=serializable", null).json().path("members")
                .valueStream().toList();
    }

    private static JsonNode member(RosterProcess via, String name) {
        return members(via).stream().filter(m -> m.path("name").asString().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no member " + name));
    }
}
