package io.roster.api.status;

import io.roster.cluster.MemberStatus;
import io.roster.identity.MemberIds;

/**
 * One member's view of the cluster, as etcd's endpoint status, with its Raft role and commit index.
 *
 * @param leader    the leader's member id (16 hex digits), or null when there is none
 * @param role      {@code leader}, {@code follower}, {@code learner}, {@code candidate}, ...
 * @param raftIndex the last index in the member's log
 */
public record StatusResponse(String version, String clusterId, String memberId, String name, String leader, String role,
                             long raftTerm, long raftIndex, long commitIndex, long appliedIndex, long revision, long dbSizeBytes) {

    static StatusResponse of(MemberStatus status) {
        return new StatusResponse(status.version(), MemberIds.hex(status.clusterId()), MemberIds.hex(status.memberId()),
                status.name(), status.hasLeader() ? MemberIds.hex(status.leaderId()) : null, status.role(), status.raftTerm(),
                status.raftIndex(), status.commitIndex(), status.appliedIndex(), status.revision(), status.dbSizeBytes());
    }
}
