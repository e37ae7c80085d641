package io.roster.cluster;

import io.roster.config.NodeIdentity;
import io.roster.raft.PeerCodec;
import io.roster.raft.PeerOperation;
import io.roster.raft.RaftNode;
import io.roster.raft.RaftStatus;
import io.roster.store.RosterStore;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Members' statuses. This member's is built here and nowhere else, for {@code GET /v1/status} and for the
 * {@link #MEMBER_STATUS} peer operation, with which any member asks another for its own.
 */
public final class ClusterStatus {

    /** A member's own status, asked of that member (any member answers for itself). */
    public static final PeerOperation<Void, MemberStatus> MEMBER_STATUS = PeerOperation.onAnyMember("member.status",
            PeerCodec.NONE, MemberStatus.CODEC);

    private final RaftNode raft;
    private final RosterStore store;
    private final NodeIdentity identity;
    private final MemberDirectory directory;
    private final LongSupplier dbSizeBytes;
    private final String version;

    /**
     * @param dbSizeBytes how many bytes the data dir takes
     * @param version     this release's version
     */
    public ClusterStatus(RaftNode raft, RosterStore store, NodeIdentity identity, MemberDirectory directory,
                         LongSupplier dbSizeBytes, String version) {
        this.raft = raft;
        this.store = store;
        this.identity = identity;
        this.directory = directory;
        this.dbSizeBytes = dbSizeBytes;
        this.version = version;
    }

    /** This member's status now. */
    public MemberStatus self() {
        long revision = store.revision();
        RaftStatus status = raft.status();
        long leader = status.hasLeader()
                ? directory.atPeerAddress(status.leaderPeer()).map(MemberDirectory.KnownMember::id).orElse(MemberStatus.NO_LEADER)
                : MemberStatus.NO_LEADER;
        boolean learner = store.members().stream().anyMatch(member -> member.id() == identity.memberId() && member.learner());
        return new MemberStatus(version, identity.clusterId(), identity.memberId(), identity.name(), leader, role(status, learner),
                status.term(), status.lastLogIndex(), status.committedIndex(), status.appliedIndex(), revision,
                dbSizeBytes.getAsLong());
    }

    /**
     * The member's Raft role: {@code leader}; {@code learner} for a follower the member list makes a learner
     * (JRaft does not tell them apart); otherwise JRaft's state ({@code follower}, {@code candidate}, ...).
     */
    static String role(RaftStatus status, boolean learner) {
        if (status.leader()) {
            return MemberStatus.LEADER;
        }
        String state = status.state().toLowerCase(Locale.ROOT).replace("state_", "").replace('_', '-');
        return learner && state.equals("follower") ? "learner" : state;
    }
}
