package io.roster.cluster;

import io.roster.config.MemberIds;
import io.roster.config.NodeIdentity;
import io.roster.config.PeerUrl;
import io.roster.raft.RaftNode;
import io.roster.store.Member;
import io.roster.store.RosterStore;

import java.util.Optional;

/** Answers "which member is at this peer address", from the member table or the bootstrap configuration. */
public final class MemberDirectory {

    private final RosterStore store;
    private final NodeIdentity identity;

    public MemberDirectory(RosterStore store, NodeIdentity identity) {
        this.store = store;
        this.identity = identity;
    }

    /** @param peerAddress JRaft's {@code host:port} form */
    public Optional<Long> memberIdOf(String peerAddress) {
        for (Member member : store.members()) {
            for (String url : member.peerUrls()) {
                if (RaftNode.peerAddress(PeerUrl.parse(url, "member " + member.name())).equals(peerAddress)) {
                    return Optional.of(member.id());
                }
            }
        }
        return identity.initialCluster().peerUrls().stream()
                .filter(url -> RaftNode.peerAddress(url).equals(peerAddress))
                .findFirst()
                .map(url -> MemberIds.memberId(identity.clusterToken(), url));
    }

    /** The member's name at this peer address, when known. */
    public Optional<String> nameOf(String peerAddress) {
        for (Member member : store.members()) {
            for (String url : member.peerUrls()) {
                if (RaftNode.peerAddress(PeerUrl.parse(url, "member " + member.name())).equals(peerAddress)) {
                    return Optional.of(member.name());
                }
            }
        }
        return identity.initialCluster().members().entrySet().stream()
                .filter(entry -> RaftNode.peerAddress(entry.getValue()).equals(peerAddress))
                .map(java.util.Map.Entry::getKey)
                .findFirst();
    }
}
