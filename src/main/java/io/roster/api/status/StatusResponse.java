package io.roster.api.status;

/**
 * One member's view of the cluster, as etcd's endpoint status.
 *
 * @param leader the leader's member id (16 hex digits), or null when there is none
 */
public record StatusResponse(String version, String clusterId, String memberId, String name, String leader,
                             long raftTerm, long raftIndex, long appliedIndex, long revision, long dbSizeBytes) {
}
