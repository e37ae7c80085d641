package io.roster.raft;

import io.roster.common.NotFoundException;
import io.roster.config.PeerUrl;
import io.roster.store.KeyEvent;
import io.roster.store.KeyValue;
import io.roster.store.command.Command;
import io.roster.store.command.CommandResult;
import io.roster.testing.InJvmCluster;
import io.roster.testing.InJvmCluster.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Ring 2: three real JRaft nodes in one JVM, with short election timeouts. */
class InJvmClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int PROMOTION_ROUNDS = Integer.getInteger("roster.test.promotion-rounds", 5);

    @TempDir
    Path dataDirs;

    private InJvmCluster cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aWriteOnTheLeaderReachesEveryNode() {
        cluster = InJvmCluster.start(3, dataDirs);
        Node leader = cluster.awaitLeader();

        CommandResult.Written written = put(leader, "config/db", "postgres://a");

        for (Node node : cluster.nodes()) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(node.store().get("config/db")).isEqualTo(written.kv()));
        }
    }

    @Test
    void aWriteOnAFollowerIsForwardedAndAnsweredWithTheCommittedResult() {
        cluster = InJvmCluster.start(3, dataDirs);
        Node follower = cluster.followers().get(0);

        CommandResult.Written first = put(follower, "k", "1");
        CommandResult.Written second = put(follower, "k", "2");

        assertThat(first.kv().version()).isEqualTo(1);
        assertThat(second.kv().version()).isEqualTo(2);
        assertThat(second.kv().createRevision()).isEqualTo(first.kv().createRevision());
        assertThat(second.revision()).isEqualTo(first.revision() + 1);
        Node leader = cluster.awaitLeader();
        await().atMost(WAIT).untilAsserted(() -> assertThat(leader.store().get("k")).isEqualTo(second.kv()));
    }

    @Test
    void aCompareAndSwapFromAFollowerFailsWithTheCurrentEntry() {
        cluster = InJvmCluster.start(3, dataDirs);
        Node follower = cluster.followers().get(0);
        CommandResult.Written written = put(follower, "lock", "me");

        assertThatThrownBy(() -> follower.kv().put("lock", "you", 0, 0).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(io.roster.kv.CompareFailedException.class,
                        failed -> assertThat(failed.current()).isEqualTo(written.kv()));
        CommandResult.Written swapped = follower.kv().put("lock", "you", 0, written.kv().modRevision()).join();
        assertThat(swapped.kv().valueAsString()).isEqualTo("you");
    }

    @Test
    void aLinearizableReadOnAFollowerSeesAWriteJustAcknowledgedByAnotherNode() {
        cluster = InJvmCluster.start(3, dataDirs);
        Node leader = cluster.awaitLeader();
        Node follower = cluster.followers().get(0);
        Node otherFollower = cluster.followers().get(1);

        for (int i = 0; i < 50; i++) {
            Node writer = i % 2 == 0 ? leader : otherFollower;
            String value = "v" + i;
            put(writer, "linearizable", value);
            KeyValue read = follower.kv().get("linearizable", ReadConsistency.LINEARIZABLE).join().kv();
            assertThat(read.valueAsString()).as("read %d on a follower after the write was acknowledged", i).isEqualTo(value);
        }
    }

    @Test
    void whenTheLeaderStopsANewOneIsElectedAndWritesContinue() {
        cluster = InJvmCluster.start(3, dataDirs);
        Node oldLeader = cluster.awaitLeader();
        put(oldLeader, "before", "1");

        cluster.stop(oldLeader.index());
        Node newLeader = cluster.awaitLeader();

        assertThat(newLeader.index()).isNotEqualTo(oldLeader.index());
        Node survivor = cluster.nodes().stream().filter(node -> node != newLeader).findFirst().orElseThrow();
        // As a client would: an idempotent put that met another election ("may have applied") is sent again.
        await().atMost(WAIT).ignoreExceptionsInstanceOf(CompletionException.class)
                .until(() -> put(survivor, "after", "2") != null);
        for (Node node : cluster.nodes()) {
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(node.store().get("before")).isNotNull();
                assertThat(node.store().get("after")).isNotNull();
            });
        }
    }

    @Test
    void aLeaseKeptAliveAcrossTwoLeaderChangesIsNeverExpired() throws Exception {
        cluster = InJvmCluster.start(3, dataDirs);
        Node first = cluster.awaitLeader();
        long lease = first.leases().grant(2).join().id();
        first.kv().put("instances/a", "up", lease, Command.NO_COMPARE).join();
        KeepAlive keepAlive = new KeepAlive(cluster, lease);
        keepAlive.start();
        try {
            for (int change = 0; change < 2; change++) {
                Node leader = cluster.awaitLeader();
                cluster.stop(leader.index());
                Node next = cluster.awaitLeader();
                assertThat(next.index()).isNotEqualTo(leader.index());
                cluster.restart(leader.index());
                cluster.awaitLeader();
                // Hold the new term for longer than the TTL, so an early expiry would have happened.
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                await().atMost(WAIT).until(() -> System.nanoTime() > until);
            }
        } finally {
            keepAlive.stop();
        }

        assertThat(keepAlive.failures()).as("keep-alives answered 'not found'").isZero();
        for (Node node : cluster.nodes()) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(node.store().get("instances/a")).isNotNull());
            assertThat(node.events().events()).as("events on n%d", node.index())
                    .noneMatch(event -> event.cause() == KeyEvent.Cause.LEASE_EXPIRED);
        }
    }

    @Test
    void aLeaseLeftAloneExpiresOnEveryNodeWithItsKeys() {
        cluster = InJvmCluster.start(3, dataDirs);
        Node follower = cluster.followers().get(0);
        long lease = follower.leases().grant(1).join().id();
        follower.kv().put("instances/gone", "up", lease, Command.NO_COMPARE).join();

        for (Node node : cluster.nodes()) {
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(node.store().get("instances/gone")).isNull();
                assertThat(node.store().lease(lease)).isNull();
            });
            assertThat(node.events().events())
                    .filteredOn(event -> event.kv().key().equals("instances/gone") && event.type() == KeyEvent.Type.DELETE)
                    .singleElement()
                    .satisfies(event -> assertThat(event.cause()).isEqualTo(KeyEvent.Cause.LEASE_EXPIRED));
        }
        assertThatThrownBy(() -> follower.leases().keepAlive(lease).join())
                .cause().isInstanceOf(NotFoundException.class);
    }

    @Test
    void aNodeThatWasDownWhileTheLogWasTruncatedCatchesUpBySnapshot() {
        cluster = InJvmCluster.start(3, dataDirs);
        Node leader = cluster.awaitLeader();
        Node lagging = cluster.followers().get(0);
        put(leader, "early", "1");
        await().atMost(WAIT).until(() -> lagging.store().get("early") != null);
        long laggingLastIndex = lagging.raft().status().lastLogIndex();
        cluster.stop(lagging.index());

        // JRaft truncates the log only up to the previous snapshot: take two, with writes around them.
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 200; i++) {
                leader.kv().put("bulk/" + round + "/" + i, "x".repeat(64), 0, Command.NO_COMPARE).join();
            }
            leader.raft().snapshot().join();
        }
        put(leader, "late", "2");
        // Truncation happens asynchronously after the snapshot; restart only once it has.
        await().atMost(WAIT).until(() -> leader.raft().isCompacted(laggingLastIndex + 1));

        Node restarted = cluster.restart(lagging.index());

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(restarted.store().state()).isEqualTo(leader.store().state());
            assertThat(restarted.raft().status().lastSnapshotIndex())
                    .as("the restarted node installed a snapshot").isGreaterThan(0);
        });
        assertThat(restarted.store().get("late").valueAsString()).isEqualTo("2");
    }

    @Test
    void aCaughtUpLearnerIsPromotedToVoterWhileNothingIsWritten() {
        cluster = InJvmCluster.start(3, dataDirs);
        Node leader = cluster.awaitLeader();
        Node member = cluster.followers().get(0);
        PeerUrl url = cluster.peerUrl(member.index());
        String address = RaftNode.peerAddress(url);
        // JRaft reports a new voter caught up only when an append to it succeeds; on an idle log, a
        // promotion whose first probe was answered before JRaft started waiting would wait forever. The
        // race is narrow, so go round several times.
        for (int round = 0; round < PROMOTION_ROUNDS; round++) {
            assertThat(leader.raft().removeFromConfiguration(address)).succeedsWithin(WAIT);
            assertThat(leader.raft().addLearner(url)).succeedsWithin(WAIT);
            await().atMost(WAIT).until(() -> leader.raft().peerStates(1000).stream()
                    .anyMatch(peer -> peer.peer().equals(address) && peer.state() == PeerState.State.REPLICATING));

            assertThat(leader.raft().promote(url)).as("promotion in round %d", round).succeedsWithin(WAIT);
            assertThat(leader.raft().configuration().voters()).contains(address);
            assertThat(leader.raft().configuration().learners()).doesNotContain(address);
        }
        put(member, "after-promotions", "written");
        await().atMost(WAIT).until(() -> member.store().get("after-promotions") != null);
    }

    private static CommandResult.Written put(Node node, String key, String value) {
        return node.kv().put(key, value, 0, Command.NO_COMPARE).join();
    }

    /** Keeps a lease alive through whichever node is up, every 300 ms, counting "not found" answers. */
    private static final class KeepAlive {
        private final InJvmCluster cluster;
        private final long lease;
        private final java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        private final java.util.concurrent.atomic.AtomicInteger notFound = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();

        KeepAlive(InJvmCluster cluster, long lease) {
            this.cluster = cluster;
            this.lease = lease;
        }

        void start() {
            timer.scheduleWithFixedDelay(() -> {
                var nodes = cluster.nodes();
                if (nodes.isEmpty()) {
                    return;
                }
                Node via = nodes.get(Math.floorMod(turn.getAndIncrement(), nodes.size()));
                try {
                    via.leases().keepAlive(lease).join();
                } catch (CompletionException e) {
                    if (e.getCause() instanceof NotFoundException) {
                        notFound.incrementAndGet();
                    }
                    // Unavailable during an election: the next attempt goes through another node.
                } catch (RuntimeException e) {
                    // The chosen node was being stopped.
                }
            }, 0, 300, TimeUnit.MILLISECONDS);
        }

        void stop() {
            timer.shutdownNow();
        }

        int failures() {
            return notFound.get();
        }
    }
}
