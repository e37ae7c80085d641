package io.roster.raft;

import com.alipay.sofa.jraft.core.NodeImpl;
import io.roster.cluster.MembershipReconciler;
import io.roster.cluster.PeerReconnector;
import io.roster.config.PeerUrl;
import io.roster.kv.KvService;
import io.roster.store.RosterStore;
import io.roster.store.codec.StoreCodec;
import io.roster.store.command.Command;
import io.roster.store.command.CommandResult;
import io.roster.store.command.Put;
import io.roster.testing.cluster.ApplicationCluster;
import io.roster.testing.cluster.TestMember;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What Raft does inside three Roster applications in this JVM that the API does not show: a member that missed
 * a truncated log installs a snapshot, a learner on an idle log is promoted, a follower behind a dead
 * connection in the leader's bolt pool is reached again, a proposal for one term is that term's leader's
 * alone, a peer operation in a version the leader does not serve is refused, and a request of a class no member serves
 * is refused without its body being decoded. What the API shows is in the cluster scenarios ({@code io.roster.scenarios}).
 */
class RaftInsideTheApplicationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int PROMOTION_ROUNDS = Integer.getInteger("roster.test.promotion-rounds", 5);

    private ApplicationCluster cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aMemberThatWasDownWhileTheLogWasTruncatedCatchesUpBySnapshot() {
        cluster = ApplicationCluster.start(3);
        TestMember leader = cluster.leader();
        TestMember lagging = cluster.followers().get(0);
        put(leader, "early", "1");
        await().atMost(WAIT).until(() -> cluster.bean(lagging, RosterStore.class).get("early") != null);
        long laggingLastIndex = cluster.bean(lagging, RaftNode.class).status().lastLogIndex();
        lagging.stop();

        // JRaft truncates the log only up to the previous snapshot: take two, with writes around them.
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 200; i++) {
                put(leader, "bulk/" + round + "/" + i, "x".repeat(64));
            }
            cluster.bean(leader, RaftNode.class).snapshot().join();
        }
        put(leader, "late", "2");
        // Truncation happens asynchronously after the snapshot; restart only once it has.
        await().atMost(WAIT).until(() -> cluster.bean(leader, RaftNode.class).isCompacted(laggingLastIndex + 1));

        lagging.start();

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(cluster.bean(lagging, RosterStore.class).state()).isEqualTo(cluster.bean(leader, RosterStore.class).state());
            assertThat(cluster.bean(lagging, RaftNode.class).status().lastSnapshotIndex())
                    .as("the restarted member installed a snapshot").isGreaterThan(0);
        });
        assertThat(cluster.bean(lagging, RosterStore.class).get("late").valueAsString()).isEqualTo("2");
    }

    @Test
    void aCaughtUpLearnerIsPromotedToVoterWhileNothingIsWritten() {
        // The member table's reconciler would change the configuration too: this test changes it by hand.
        cluster = ApplicationCluster.start(3, Duration.ofMillis(500), Map.of("roster.membership.reconcile-interval", "1h"));
        TestMember leader = cluster.leader();
        TestMember member = cluster.followers().get(0);
        RaftNode raft = cluster.bean(leader, RaftNode.class);
        PeerUrl url = PeerUrl.parse(member.peerUrl(), "member " + member.name());
        String address = RaftNode.peerAddress(url);
        // JRaft reports a new voter caught up only when an append to it succeeds; on an idle log, a
        // promotion whose first probe was answered before JRaft started waiting would wait forever. The
        // race is narrow, so go round several times.
        for (int round = 0; round < PROMOTION_ROUNDS; round++) {
            assertThat(raft.removeFromConfiguration(address)).succeedsWithin(WAIT);
            assertThat(raft.addLearner(url)).succeedsWithin(WAIT);
            await().atMost(WAIT).until(() -> raft.peerStates(1000).stream()
                    .anyMatch(peer -> peer.peer().equals(address) && peer.state() == PeerState.State.REPLICATING));

            assertThat(raft.promote(url)).as("promotion in round %d", round).succeedsWithin(WAIT);
            assertThat(raft.configuration().voters()).contains(address);
            assertThat(raft.configuration().learners()).doesNotContain(address);
        }
        put(member, "after-promotions", "written");
        await().atMost(WAIT).until(() -> cluster.bean(member, RosterStore.class).get("after-promotions") != null);
    }

    @Test
    void aFollowerBehindADeadConnectionInBoltsPoolIsReachedAgain() throws Exception {
        cluster = ApplicationCluster.start(3, Duration.ofMillis(500), Map.of("roster.membership.reconcile-interval", "1h"));
        TestMember leader = cluster.leader();
        TestMember member = cluster.followers().get(0);
        RaftNode raft = cluster.bean(leader, RaftNode.class);
        MembershipReconciler reconciler = cluster.bean(leader, MembershipReconciler.class);
        await().atMost(WAIT).until(() -> {
            reconciler.reconcile();
            return cluster.bean(leader, RosterStore.class).members().size() == 3;
        });
        String address = RaftNode.peerAddress(PeerUrl.parse(member.peerUrl(), "member " + member.name()));

        // The state two fault runs left the leader in: its bolt pool to the member held only a dead connection,
        // which bolt never replaces, so the replicator failed its connection check for good.
        leaveOnlyADeadConnection(raft, address);
        put(leader, "after-dead-connection", "1");

        await().atMost(WAIT.plus(PeerReconnector.STALLED_AFTER)).pollInterval(Duration.ofMillis(200)).until(() -> {
            reconciler.reconcile();
            return cluster.bean(member, RosterStore.class).get("after-dead-connection") != null;
        });
    }

    /**
     * What a lease clock decides is proposed for the term it leads in: refused once that term is over, and
     * never forwarded from a member that no longer leads (PausedLeaderIT shows why, with a paused leader).
     */
    @Test
    void aProposalForOneTermIsAppliedOnlyByThatTermsLeader() {
        cluster = ApplicationCluster.start(3);
        TestMember leader = cluster.leader();
        RaftNode leading = cluster.bean(leader, RaftNode.class);
        long term = leading.status().term();

        assertThat(leading.proposeInTerm(new Put("in-term", new byte[]{1}, 0, Command.NO_COMPARE), term).join())
                .isInstanceOf(CommandResult.Written.class);
        assertThat(leading.proposeInTerm(new Put("past-term", new byte[]{1}, 0, Command.NO_COMPARE), term - 1))
                .failsWithin(WAIT).withThrowableThat().withCauseInstanceOf(NotLeaderException.class);
        for (TestMember follower : cluster.followers()) {
            assertThat(cluster.bean(follower, RaftNode.class).proposeInTerm(new Put("via-follower", new byte[]{1}, 0, Command.NO_COMPARE), term))
                    .failsWithin(WAIT).withThrowableThat().withCauseInstanceOf(NotLeaderException.class);
        }

        put(leader, "last", "1"); // after the refused ones in the leader's log, had they been appended
        for (TestMember member : cluster.members()) {
            RosterStore store = cluster.bean(member, RosterStore.class);
            await().atMost(WAIT).until(() -> store.get("last") != null);
            assertThat(store.get("in-term")).as("on %s", member.name()).isNotNull();
            assertThat(store.get("past-term")).as("on %s", member.name()).isNull();
            assertThat(store.get("via-follower")).as("on %s", member.name()).isNull();
        }
    }

    /**
     * Members of releases too far apart refuse each other's peer operations clearly, and do nothing: a
     * proposal in a version the leader does not serve writes nothing, and an operation it does not know is
     * named as such.
     */
    @Test
    void aPeerOperationInAVersionTheLeaderDoesNotServeIsRefusedAndDoesNothing() {
        cluster = ApplicationCluster.start(3);
        TestMember leader = cluster.leader();
        RaftNode follower = cluster.bean(cluster.followers().get(0), RaftNode.class);
        PeerOperation<byte[], CommandResult> futurePropose = new PeerOperation<>(LeaderRouter.PROPOSE.name(), 2, 2,
                PeerOperation.Served.BY_LEADER, PeerCodec.BYTES, LeaderRouter.PROPOSE.answer());
        PeerOperation<Long, Long> unknown = PeerOperation.onLeader("lease.keep-alive-forever", PeerCodec.LONG, PeerCodec.LONG);

        assertThat(follower.callLeader(futurePropose, StoreCodec.encodeCommand(new Put("from-the-future", new byte[]{1}, 0,
                Command.NO_COMPARE)))).failsWithin(WAIT).withThrowableThat().havingCause()
                .isInstanceOf(UnsupportedPeerVersionException.class)
                .withMessageContaining("propose version 2 is not served by this member, which serves versions 1 to 1")
                .withMessageContaining("upgrade one release at a time");
        assertThat(follower.callLeader(unknown, 1L)).failsWithin(WAIT).withThrowableThat().havingCause()
                .isInstanceOf(UnknownPeerOperationException.class).withMessageContaining("unknown peer operation lease.keep-alive-forever");

        put(leader, "last", "1");
        for (TestMember member : cluster.members()) {
            RosterStore store = cluster.bean(member, RosterStore.class);
            await().atMost(WAIT).until(() -> store.get("last") != null);
            assertThat(store.get("from-the-future")).as("on %s", member.name()).isNull();
        }
    }

    /**
     * A peer's request content never reaches a general-purpose deserializer: bolt decodes a request's body
     * only for a class with a registered processor, and each of those has Roster's or JRaft's own codec.
     */
    @Test
    void aRequestOfAClassNoMemberServesIsRefusedWithoutDecodingItsBody() throws Exception {
        // The canary works: Hessian, given its bytes, runs its readResolve.
        com.alipay.remoting.serialization.Serializer hessian = new com.alipay.remoting.serialization.HessianSerializer();
        hessian.deserialize(hessian.serialize(new HessianCanary()), HessianCanary.class.getName());
        assertThat(HessianCanary.DECODED.getAndSet(0)).isEqualTo(1);

        cluster = ApplicationCluster.start(1);
        TestMember member = cluster.leader();
        PeerUrl peer = PeerUrl.parse(member.peerUrl(), "peer URL");
        com.alipay.sofa.jraft.rpc.RpcClient client = PeerTransport.PLAIN.newClient();
        try {
            assertThatThrownBy(() -> client.invokeSync(new com.alipay.sofa.jraft.util.Endpoint(peer.host(), peer.port()),
                    new HessianCanary(), WAIT.toMillis()))
                    .hasStackTraceContaining("No user processor found for request: " + HessianCanary.class.getName());
        } finally {
            client.shutdown();
        }
        assertThat(HessianCanary.DECODED.get()).as("bodies the member decoded").isZero();
        put(member, "after", "1");
        assertThat(cluster.bean(member, RosterStore.class).get("after")).isNotNull();
    }

    private static void leaveOnlyADeadConnection(RaftNode raft, String address) throws Exception {
        Field node = RaftNode.class.getDeclaredField("node");
        node.setAccessible(true);
        com.alipay.remoting.rpc.RpcClient bolt = ((com.alipay.sofa.jraft.rpc.impl.BoltRpcClient)
                ((com.alipay.sofa.jraft.rpc.impl.AbstractClientService) ((NodeImpl) ((NodeHandle) node.get(raft)).current())
                        .getRpcService()).getRpcClient())
                .getRpcClient();
        Field managerField = com.alipay.remoting.rpc.RpcClient.class.getDeclaredField("connectionManager");
        managerField.setAccessible(true);
        com.alipay.remoting.DefaultConnectionManager manager = (com.alipay.remoting.DefaultConnectionManager) managerField.get(bolt);
        com.alipay.remoting.ConnectionPool pool = manager.getConnPools().get(address).get();
        List<com.alipay.remoting.Connection> live = pool.getAll();
        // A connection whose channel closed before it joined its pool: its close event found nothing to remove.
        io.netty.channel.embedded.EmbeddedChannel closed = new io.netty.channel.embedded.EmbeddedChannel();
        closed.close();
        com.alipay.remoting.Connection dead = new com.alipay.remoting.Connection(closed, live.get(0).getUrl());
        pool.add(dead);
        for (com.alipay.remoting.Connection connection : live) {
            connection.close(); // bolt's close event takes it out of the pool, which keeps the dead one
        }
        await().atMost(WAIT).until(() -> pool.getAll().equals(List.of(dead)) && manager.getConnPools().get(address) != null);
    }

    private void put(TestMember member, String key, String value) {
        cluster.bean(member, KvService.class).put(key, value, 0, Command.NO_COMPARE).join();
    }
}
