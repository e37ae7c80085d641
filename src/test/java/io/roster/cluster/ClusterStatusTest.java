package io.roster.cluster;

import io.roster.client.RosterClient;
import io.roster.identity.MemberIds;
import io.roster.config.PeerUrl;
import io.roster.raft.PeerCodec;
import io.roster.raft.PeerOperation;
import io.roster.raft.PeerUnreachableException;
import io.roster.raft.RaftNode;
import io.roster.raft.RaftStatus;
import io.roster.raft.UnknownPeerOperationException;
import io.roster.raft.UnsupportedPeerVersionException;
import io.roster.store.Member;
import io.roster.testing.cluster.ApplicationCluster;
import io.roster.testing.cluster.TestMember;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Members' statuses in three Roster applications in this JVM: each member tells its own over the peer port, as
 * it builds it for {@code GET /v1/status}; a follower asked for every member's ({@code GET /v1/status/members})
 * finds them all, and then one stopped; and what each kind of answer, or none, says of a member.
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

    private static PeerUrl peerUrl(TestMember member) {
        return PeerUrl.parse(member.peerUrl(), "member " + member.name());
    }

    @Test
    void everyMemberTellsItsOwnStatusOverThePeerPort() {
        cluster = ApplicationCluster.start(3);
        TestMember leader = cluster.leader();
        TestMember asking = cluster.followers().get(0);
        List<PeerUrl> peers = cluster.members().stream().map(ClusterStatusTest::peerUrl).toList();

        Map<PeerUrl, CompletableFuture<MemberStatus>> answers = cluster.bean(asking, RaftNode.class).probe()
                .askEach(peers, ClusterStatus.MEMBER_STATUS, null, WAIT);

        long leaderId = cluster.bean(leader, ClusterStatus.class).self().memberId();
        for (TestMember member : cluster.members()) {
            MemberStatus answered = answers.get(peerUrl(member)).join();
            MemberStatus own = cluster.bean(member, ClusterStatus.class).self();
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
        CompletableFuture<MemberStatus> refused = cluster.bean(asking, RaftNode.class).probe()
                .askEach(List.of(peerUrl(leader)), unknown, null, WAIT).get(peerUrl(leader));
        assertThat(refused).failsWithin(WAIT).withThrowableThat().havingCause().isInstanceOf(UnknownPeerOperationException.class)
                .withMessageContaining("unknown peer operation member.status-of-a-later-release");
    }

    @Test
    void aFollowerAskedForEveryMembersStatusFindsThemAllAndThenOneStopped() {
        cluster = ApplicationCluster.start(3);
        TestMember leader = cluster.leader();
        TestMember asked = cluster.followers().get(0);
        String leaderId = MemberIds.hex(cluster.bean(leader, ClusterStatus.class).self().memberId());

        try (RosterClient client = asked.client()) {
            io.roster.client.ClusterStatus all = client.clusterStatus();
            assertThat(all.askedBy()).isEqualTo(client.status(asked.clientUrl()).memberId());
            assertThat(all.members()).extracting(io.roster.client.MemberStatus::name, io.roster.client.MemberStatus::reachable)
                    .containsExactlyInAnyOrder(tuple("n1", true), tuple("n2", true), tuple("n3", true));
            assertThat(all.members()).allSatisfy(member -> {
                assertThat(member.error()).as("%s's error", member.name()).isNull();
                assertThat(member.status().memberId()).isEqualTo(member.memberId());
                assertThat(member.status().leader()).as("the leader %s names", member.name()).isEqualTo(leaderId);
                assertThat(member.clientUrls()).containsExactly(cluster.member(member.name()).clientUrl());
            });
            assertThat(all.members()).extracting(member -> member.status().raftTerm()).as("one term").containsOnly(
                    all.members().get(0).status().raftTerm());
            assertThat(all.members()).filteredOn(member -> "leader".equals(member.status().role()))
                    .extracting(io.roster.client.MemberStatus::memberId).containsExactly(leaderId);
            assertThat(all.members()).filteredOn(member -> !member.memberId().equals(leaderId))
                    .extracting(member -> member.status().role()).containsOnly("follower");

            // The leader stops: the follower still answers (it reads its own member list), naming it unreachable.
            leader.stop();
            await("the stopped leader shown unreachable").atMost(WAIT).untilAsserted(() -> {
                io.roster.client.MemberStatus stopped = member(client.clusterStatus(), leader.name());
                assertThat(stopped.reachable()).isFalse();
                assertThat(stopped.status()).isNull();
                assertThat(stopped.error()).isNotBlank();
            });
            await("the two left agree on a new leader").atMost(WAIT).untilAsserted(() -> {
                io.roster.client.ClusterStatus after = client.clusterStatus();
                List<io.roster.client.Status> running = after.members().stream().filter(io.roster.client.MemberStatus::reachable)
                        .map(io.roster.client.MemberStatus::status).toList();
                assertThat(running).hasSize(2);
                assertThat(running).filteredOn(status -> "leader".equals(status.role())).hasSize(1);
                assertThat(running).extracting(io.roster.client.Status::raftTerm).containsOnly(running.get(0).raftTerm());
            });
        }
    }

    private static io.roster.client.MemberStatus member(io.roster.client.ClusterStatus all, String name) {
        return all.members().stream().filter(member -> member.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not in " + all));
    }

    @Test
    void eachAnswerOrNoneSaysWhetherTheMemberIsReachableAndWhy() {
        Member n2 = new Member(2, "n2", List.of("http://10.0.0.2:2380"), List.of("http://10.0.0.2:2379"), false);
        MemberStatus own = new MemberStatus("0.1.0", 7, 2, "n2", 1, "follower", 3, 10, 10, 10, 5, 100);

        assertThat(ClusterStatus.report(n2, 7, own, null)).isEqualTo(new ClusterStatus.Report(n2, true, own, null));
        assertThat(ClusterStatus.report(n2, 7, null, new PeerUnreachableException("connection refused")))
                .isEqualTo(new ClusterStatus.Report(n2, false, null, "connection refused"));
        assertThat(ClusterStatus.report(n2, 7, null, new java.util.concurrent.CompletionException(
                new UnknownPeerOperationException("unknown peer operation member.status"))))
                .isEqualTo(new ClusterStatus.Report(n2, true, null, "it runs an older release, which does not answer member.status"));
        ClusterStatus.Report tooFarApart = ClusterStatus.report(n2, 7, null, new UnsupportedPeerVersionException(
                "peer operation member.status version 2 is not served by this member"));
        assertThat(tooFarApart.reachable()).isTrue();
        assertThat(tooFarApart.error()).contains("version 2 is not served");
        ClusterStatus.Report stopped = ClusterStatus.report(n2, 7, null, new io.roster.raft.RaftUnavailableException(
                "the Raft node is not running", false));
        assertThat(stopped.reachable()).isTrue();
        assertThat(stopped.error()).isEqualTo("it could not tell its status: the Raft node is not running");

        MemberStatus someoneElse = new MemberStatus("0.1.0", 7, 9, "n9", 1, "follower", 3, 10, 10, 10, 5, 100);
        assertThat(ClusterStatus.report(n2, 7, someoneElse, null)).isEqualTo(new ClusterStatus.Report(n2, false, null,
                "another member, n9 (0000000000000009), answers at its peer URL"));
        MemberStatus otherCluster = new MemberStatus("0.1.0", 8, 2, "n2", 1, "follower", 3, 10, 10, 10, 5, 100);
        assertThat(ClusterStatus.report(n2, 7, otherCluster, null).reachable()).isFalse();
        assertThat(ClusterStatus.report(n2, 7, otherCluster, null).error()).contains("another cluster (0000000000000008)");
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
