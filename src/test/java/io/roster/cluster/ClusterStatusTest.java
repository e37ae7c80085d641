package io.roster.cluster;

import io.roster.config.PeerUrl;
import io.roster.raft.PeerCodec;
import io.roster.raft.PeerOperation;
import io.roster.raft.RaftNode;
import io.roster.raft.RaftStatus;
import io.roster.raft.UnknownPeerOperationException;
import io.roster.testing.cluster.ApplicationCluster;
import io.roster.testing.cluster.TestMember;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Members' statuses in three Roster applications in this JVM: each member tells its own over the peer port,
 * as it builds it for {@code GET /v1/status}; and what each kind of answer says of a member.
 */
class ClusterStatusTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private ApplicationCluster cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private <T> T bean(TestMember member, Class<T> type) {
        return cluster.application(member.name()).bean(type);
    }

    private static PeerUrl peerUrl(TestMember member) {
        return PeerUrl.parse(member.peerUrl(), "member " + member.name());
    }

    @Test
    void everyMemberTellsItsOwnStatusOverThePeerPort() {
        cluster = ApplicationCluster.start(3);
        TestMember leader = cluster.leader();
        TestMember asking = cluster.followers().get(0);
        List<PeerUrl> peers = cluster.members().stream().map(ClusterStatusTest::peerUrl).toList();

        Map<PeerUrl, CompletableFuture<MemberStatus>> answers = bean(asking, RaftNode.class).probe()
                .askEach(peers, ClusterStatus.MEMBER_STATUS, null, WAIT);

        long leaderId = bean(leader, ClusterStatus.class).self().memberId();
        for (TestMember member : cluster.members()) {
            MemberStatus answered = answers.get(peerUrl(member)).join();
            MemberStatus own = bean(member, ClusterStatus.class).self();
            assertThat(answered.name()).isEqualTo(member.name());
            assertThat(answered).as("what %s answered, and what it says of itself", member.name())
                    .usingRecursiveComparison().comparingOnlyFields("version", "clusterId", "memberId", "name", "leaderId", "role",
                            "raftTerm").isEqualTo(own);
            assertThat(answered.role()).isEqualTo(member == leader ? "leader" : "follower");
            assertThat(answered.leaderId()).isEqualTo(leaderId);
            assertThat(answered.raftTerm()).isPositive();
            assertThat(answered.appliedIndex()).isPositive();
            assertThat(answered.commitIndex()).isGreaterThanOrEqualTo(answered.appliedIndex());
            assertThat(answered.raftIndex()).isGreaterThanOrEqualTo(answered.commitIndex());
        }

        // A member that does not know a question (as one of an older release does not know member.status) says so.
        PeerOperation<Void, MemberStatus> unknown = PeerOperation.onAnyMember("member.status-of-a-later-release", PeerCodec.NONE,
                MemberStatus.CODEC);
        CompletableFuture<MemberStatus> refused = bean(asking, RaftNode.class).probe()
                .askEach(List.of(peerUrl(leader)), unknown, null, WAIT).get(peerUrl(leader));
        assertThat(refused).failsWithin(WAIT).withThrowableThat().havingCause().isInstanceOf(UnknownPeerOperationException.class)
                .withMessageContaining("unknown peer operation member.status-of-a-later-release");
    }

    @Test
    void aLearnerIsALearnerAndAnyOtherStateIsJRaftsInLowerCase() {
        assertThat(ClusterStatus.role(raft("STATE_LEADER", true), false)).isEqualTo("leader");
        assertThat(ClusterStatus.role(raft("STATE_FOLLOWER", false), false)).isEqualTo("follower");
        assertThat(ClusterStatus.role(raft("STATE_FOLLOWER", false), true)).isEqualTo("learner");
        assertThat(ClusterStatus.role(raft("STATE_CANDIDATE", false), false)).isEqualTo("candidate");
        assertThat(ClusterStatus.role(raft("STATE_TRANSFERRING", false), false)).isEqualTo("transferring");
    }

    private static RaftStatus raft(String state, boolean leader) {
        return new RaftStatus("127.0.0.1:2380", state, leader, null, 2, 10, 10, 10, 1, 0, 0, List.of(), List.of(),
                Duration.ZERO, null);
    }
}
