package io.roster.cluster;

import io.roster.config.PeerUrl;
import io.roster.raft.RaftNode;
import io.roster.store.RosterStore;
import io.roster.store.command.RemoveMember;
import io.roster.testing.cluster.ApplicationCluster;
import io.roster.testing.cluster.TestMember;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A removal must not be reported done while the change is only in the leader's log. Found by
 * MembershipSafetyIT: of two members, the leader removed itself, answered "out of the configuration" as
 * soon as it listed the new one, was stopped, and the member left never had that configuration.
 */
class ConfigurationChangeInFlightTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(10);

    private ApplicationCluster cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aRemovedMemberStillCountsAndKeepsItsAddressWhileTheChangeTakingItOutIsUnderWay() {
        // A leader that has heard from no quorum for most of an election timeout steps down, ending the change:
        // a long timeout leaves time to look at the change under way.
        cluster = ApplicationCluster.start(3, ELECTION_TIMEOUT, Map.of());
        TestMember leader = cluster.leader();
        List<TestMember> followers = cluster.followers();
        TestMember removed = followers.get(0);
        TestMember stopped = followers.get(1);
        String removedAddress = RaftNode.peerAddress(PeerUrl.parse(removed.peerUrl(), removed.name()));
        RaftNode raft = cluster.bean(leader, RaftNode.class);
        MembershipService membership = cluster.bean(leader, MembershipService.class);

        // Without the stopped member the new configuration (leader and stopped) has no quorum: the change the
        // reconciler starts once the table no longer has the member stays between the old configuration and the new.
        stopped.stop();
        RosterStore store = cluster.bean(leader, RosterStore.class);
        long removedId = store.members().stream().filter(member -> member.name().equals(removed.name())).findFirst()
                .orElseThrow().id();
        assertThat(raft.propose(new RemoveMember(removedId))).succeedsWithin(WAIT);
        await("JRaft lists the new configuration").atMost(WAIT)
                .until(() -> !raft.configuration().voters().contains(removedAddress));

        assertThat(raft.configurationChanging(removedAddress)).as("the change cannot complete without the stopped member").isTrue();
        assertThat(membership.inConfigurationOnLeader(removedAddress))
                .as("stopping it now could leave the others without a quorum").isTrue();
        assertThat(membership.inConfigurationOnLeader("127.0.0.1:1"))
                .as("a change under way says nothing of a peer it does not change").isFalse();

        // Found by ChaosIT's member churn: a member recorded at the address of one still in the configuration
        // would be taken for it, a voter at once on an empty log. Refused before anything is proposed.
        CompletableFuture<MembershipService.Added> addedBack = membership.add(removed.name(), List.of(removed.peerUrl()), false);
        assertThat(addedBack).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(MembershipException.class)
                .withMessageContaining("peer URL " + removed.peerUrl() + " still belongs to a removed member");
    }
}
