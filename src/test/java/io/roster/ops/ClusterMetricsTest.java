package io.roster.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.roster.client.RosterClient;
import io.roster.raft.PeerState;
import io.roster.raft.RaftNode;
import io.roster.testing.cluster.ApplicationCluster;
import io.roster.testing.cluster.TestMember;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Raft metrics of a real three-member cluster, read from each application's own registry, tell the truth. */
class ClusterMetricsTest {

    private static final Duration ELECTION_TIMEOUT = Duration.ofMillis(500);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private ApplicationCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private ApplicationCluster.Member application(TestMember member) {
        return cluster.application(member.name());
    }

    private MeterRegistry metricsOf(TestMember member) {
        return application(member).bean(MeterRegistry.class);
    }

    private double gauge(TestMember member, String name, String... tags) {
        return metricsOf(member).get(name).tags(tags).gauge().value();
    }

    @Test
    void exactlyOneMemberReportsItselfLeaderAndAllReportALeader() {
        cluster = ApplicationCluster.start(3);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(cluster.running().stream().mapToDouble(member -> gauge(member, "roster.raft.is.leader")).sum()).isEqualTo(1);
            assertThat(cluster.running()).allSatisfy(member -> assertThat(gauge(member, "roster.raft.has.leader")).isEqualTo(1));
        });
        TestMember leader = cluster.leader();
        assertThat(gauge(leader, "roster.raft.is.leader")).isEqualTo(1);
        assertThat(gauge(leader, "roster.raft.term")).isPositive();
    }

    @Test
    void afterTheLeaderStopsTheSurvivorsAgreeOnANewOneWithinAFewElectionTimeouts() {
        cluster = ApplicationCluster.start(3);
        TestMember old = cluster.leader();
        double oldTerm = gauge(old, "roster.raft.term");
        List<TestMember> survivors = cluster.followers();

        long stopped = System.nanoTime();
        old.stop();

        await().atMost(ELECTION_TIMEOUT.multipliedBy(20)).untilAsserted(() -> {
            assertThat(survivors.stream().mapToDouble(member -> gauge(member, "roster.raft.is.leader")).sum()).isEqualTo(1);
            assertThat(survivors).allSatisfy(member -> {
                assertThat(gauge(member, "roster.raft.has.leader")).isEqualTo(1);
                assertThat(gauge(member, "roster.raft.term")).isGreaterThan(oldTerm);
            });
        });
        System.out.printf("new leader agreed %d ms after the old one stopped%n", (System.nanoTime() - stopped) / 1_000_000);
        assertThat(survivors).allSatisfy(member ->
                assertThat(metricsOf(member).get("roster.raft.leader.changes").functionCounter().count()).isGreaterThanOrEqualTo(2));
    }

    @Test
    void aStoppedFollowerShowsAsUnreachableOnTheLeader() {
        cluster = ApplicationCluster.start(3);
        TestMember leader = cluster.leader();
        TestMember follower = cluster.followers().get(0);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(gauge(leader, "roster.raft.members", "state", "replicating")).isEqualTo(2));

        follower.stop();

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(gauge(leader, "roster.raft.members", "state", "unreachable")).isEqualTo(1);
            assertThat(gauge(leader, "roster.raft.members", "state", "replicating")).isEqualTo(1);
        });
        List<PeerState> states = application(leader).bean(RaftNode.class).peerStates(100);
        assertThat(states).filteredOn(state -> state.state() == PeerState.State.UNREACHABLE).singleElement()
                .satisfies(state -> assertThat(state.sinceLastContact()).isNotNull());
        TestMember other = cluster.followers().get(0);
        assertThat(gauge(other, "roster.raft.members", "state", "unreachable"))
                .as("followers do not know member states").isZero();
    }

    @Test
    void everyHeartbeatAFollowerForwardsIsCountedOnceInItsCoalescedCalls() throws Exception {
        cluster = ApplicationCluster.start(3);
        TestMember follower = cluster.followers().get(0);
        int instances = 20;
        int senders = 8;
        try (RosterClient leader = cluster.leader().client(); RosterClient client = follower.client()) {
            for (int i = 0; i < instances; i++) {
                leader.register("metered", "metered-" + i, io.roster.client.InstanceSpec.of("10.0.2." + i, 80));
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(senders);
            try {
                List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
                for (int s = 0; s < senders; s++) {
                    sent.add(pool.submit(() -> {
                        for (int i = 0; i < instances; i++) {
                            client.heartbeat("metered", "metered-" + i);
                        }
                    }));
                }
                for (java.util.concurrent.Future<?> future : sent) {
                    future.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        io.micrometer.core.instrument.DistributionSummary calls = metricsOf(follower).get("roster.peer.coalesced.calls")
                .tags("operation", "lease.keep-alive").summary();
        assertThat(calls.totalAmount()).as("heartbeats forwarded").isEqualTo(instances * senders);
        assertThat(calls.count()).as("messages to the leader").isBetween(1L, (long) instances * senders);
    }

    @Test
    void writesShowInProposalLatencyAndJRaftsLogAppendTimes() {
        cluster = ApplicationCluster.start(3);
        TestMember leader = cluster.leader();
        MeterRegistry registry = metricsOf(leader);
        long proposalsBefore = registry.get("roster.raft.proposal").timer().count();

        try (RosterClient client = leader.client()) {
            for (int i = 0; i < 20; i++) {
                client.put("k" + i, "v");
            }
        }

        assertThat(registry.get("roster.raft.proposal").timer().count() - proposalsBefore)
                .as("proposals of the 20 writes, and of whatever the member proposed itself meanwhile").isGreaterThanOrEqualTo(20);
        assertThat(registry.get("roster.raft.proposals.failed").counter().count()).isZero();
        assertThat(registry.get("roster.raft.log.append.batches").functionCounter().count()).isPositive();
        assertThat(registry.get("roster.raft.log.append.p99").gauge().value()).isPositive();
        assertThat(registry.get("roster.raft.replicate.batches").functionCounter().count()).isPositive();

        application(leader).bean(RaftMetrics.class).refreshPeerLag();
        assertThat(registry.get("roster.raft.peer.lag").gauges()).extracting(gauge -> gauge.getId().getTag("peer"))
                .as("one row per other member, labelled by name").containsExactlyInAnyOrderElementsOf(
                        cluster.followers().stream().map(TestMember::name).toList());
    }
}
