package io.roster.cluster;

import io.roster.identity.MemberIds;
import io.roster.identity.NodeIdentity;
import io.roster.config.PeerUrl;
import io.roster.raft.RaftNode;
import io.roster.store.Member;
import io.roster.store.RosterStore;

import java.util.Map;
import java.util.Optional;

/**
 * Answers "which member is at this peer address", from the member table or the bootstrap configuration, and
 * whether this member is a learner.
 */
public final class MemberDirectory {

    private final RosterStore store;
    private final NodeIdentity identity;

    public MemberDirectory(RosterStore store, NodeIdentity identity) {
        this.store = store;
        this.identity = identity;
    }

    /** A member as far as this node knows it: its id and name. */
    public record KnownMember(long id, String name) {
    }

    /** The member's name for a peer address, or the address itself when no member is known there. */
    public String nameOfPeer(String peerAddress) {
        return atPeerAddress(peerAddress).map(KnownMember::name).orElse(peerAddress);
    }

    /** Whether the member list makes this member a learner, which JRaft's own state does not tell. */
    public boolean selfIsLearner() {
        return store.members().stream().anyMatch(member -> member.id() == identity.memberId() && member.learner());
    }

    /** @param peerAddress JRaft's {@code host:port} form */
    public Optional<KnownMember> atPeerAddress(String peerAddress) {
        for (Member member : store.members()) {
            for (String url : member.peerUrls()) {
                if (RaftNode.peerAddress(PeerUrl.parse(url, "member " + member.name())).equals(peerAddress)) {
                    return Optional.of(new KnownMember(member.id(), member.name()));
                }
            }
        }
        // Not published yet: bootstrap members are known from initial-cluster.
        for (Map.Entry<String, PeerUrl> entry : identity.initialCluster().members().entrySet()) {
            if (RaftNode.peerAddress(entry.getValue()).equals(peerAddress)) {
                return Optional.of(new KnownMember(MemberIds.memberId(identity.clusterToken(), entry.getValue()), entry.getKey()));
            }
        }
        return Optional.empty();
    }
}
