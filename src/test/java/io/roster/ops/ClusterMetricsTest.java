package io.roster.ops;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roster.raft.PeerState;
import io.roster.store.command.Command;
import io.roster.testing.InJvmCluster;
import io.roster.testing.InJvmCluster.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Raft metrics of a real three-node cluster tell the truth about leadership and members. */
class ClusterMetricsTest {

    @TempDir
    Path dataDirs;

    private InJvmCluster cluster;
    private final Map<Integer, SimpleMeterRegistry> registries = new HashMap<>();
    private final Map<Integer, RaftMetrics> lagRefreshers = new HashMap<>();

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private SimpleMeterRegistry metricsOf(Node node) {
        return registries.computeIfAbsent(node.index(), index -> {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            RaftMetrics metrics = new RaftMetrics(node.raft(), cluster.memberDirectory(node.index()), 100);
            metrics.bindTo(registry);
            lagRefreshers.put(node.index(), metrics);
            new JRaftMetricsBridge(node.raft()).bindTo(registry);
            return registry;
        });
    }

    private double gauge(Node node, String name, String... tags) {
        return metricsOf(node).get(name).tags(tags).gauge().value();
    }

    @Test
    void exactlyOneMemberReportsItselfLeaderAndAllReportALeader() {
        cluster = InJvmCluster.start(3, dataDirs);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(cluster.nodes().stream().mapToDouble(node -> gauge(node, "roster.raft.is.leader")).sum()).isEqualTo(1);
            assertThat(cluster.nodes()).allSatisfy(node -> assertThat(gauge(node, "roster.raft.has.leader")).isEqualTo(1));
        });
        Node leader = cluster.awaitLeader();
        assertThat(gauge(leader, "roster.raft.is.leader")).isEqualTo(1);
        assertThat(gauge(leader, "roster.raft.term")).isPositive();
    }

    @Test
    void afterTheLeaderStopsTheSurvivorsAgreeOnANewOneWithinAFewElectionTimeouts() {
        cluster = InJvmCluster.start(3, dataDirs);
        Node old = cluster.awaitLeader();
        double oldTerm = gauge(old, "roster.raft.term");
        List<Node> survivors = cluster.followers();
        survivors.forEach(this::metricsOf);

        long stopped = System.nanoTime();
        cluster.stop(old.index());

        await().atMost(InJvmCluster.ELECTION_TIMEOUT.multipliedBy(10)).untilAsserted(() -> {
            assertThat(survivors.stream().mapToDouble(node -> gauge(node, "roster.raft.is.leader")).sum()).isEqualTo(1);
            assertThat(survivors).allSatisfy(node -> {
                assertThat(gauge(node, "roster.raft.has.leader")).isEqualTo(1);
                assertThat(gauge(node, "roster.raft.term")).isGreaterThan(oldTerm);
            });
        });
        System.out.printf("new leader agreed %d ms after the old one stopped%n", (System.nanoTime() - stopped) / 1_000_000);
        assertThat(survivors).allSatisfy(node ->
                assertThat(metricsOf(node).get("roster.raft.leader.changes").functionCounter().count()).isGreaterThanOrEqualTo(2));
    }

    @Test
    void aStoppedFollowerShowsAsUnreachableOnTheLeader() {
        cluster = InJvmCluster.start(3, dataDirs);
        Node leader = cluster.awaitLeader();
        Node follower = cluster.followers().get(0);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(gauge(leader, "roster.raft.members", "state", "replicating")).isEqualTo(2));

        cluster.stop(follower.index());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(gauge(leader, "roster.raft.members", "state", "unreachable")).isEqualTo(1);
            assertThat(gauge(leader, "roster.raft.members", "state", "replicating")).isEqualTo(1);
        });
        List<PeerState> states = leader.raft().peerStates(100);
        assertThat(states).filteredOn(state -> state.state() == PeerState.State.UNREACHABLE).singleElement()
                .satisfies(state -> assertThat(state.sinceLastContact()).isNotNull());
        Node other = cluster.followers().get(0);
        assertThat(gauge(other, "roster.raft.members", "state", "unreachable"))
                .as("followers do not know member states").isZero();
    }

    @Test
    void writesShowInProposalLatencyAndJRaftsLogAppendTimes() {
        cluster = InJvmCluster.start(3, dataDirs);
        Node leader = cluster.awaitLeader();
        SimpleMeterRegistry registry = metricsOf(leader);

        for (int i = 0; i < 20; i++) {
            leader.kv().put("k" + i, "v", 0, Command.NO_COMPARE).join();
        }

        assertThat(registry.get("roster.raft.proposal").timer().count()).isEqualTo(20);
        assertThat(registry.get("roster.raft.proposals.failed").counter().count()).isZero();
        assertThat(registry.get("roster.raft.log.append.batches").functionCounter().count()).isPositive();
        assertThat(registry.get("roster.raft.log.append.p99").gauge().value()).isPositive();
        assertThat(registry.get("roster.raft.replicate.batches").functionCounter().count()).isPositive();

        lagRefreshers.get(leader.index()).refreshPeerLag();
        assertThat(registry.get("roster.raft.peer.lag").gauges()).extracting(gauge -> gauge.getId().getTag("peer"))
                .as("one row per other member, labelled by name").containsExactlyInAnyOrderElementsOf(
                        cluster.followers().stream().map(node -> "n" + node.index()).toList());
    }
}
