package io.roster.client;

/**
 * One member's view of the cluster, as etcd's endpoint status.
 *
 * @param leader the leader's member id, or null when this member knows of none
 */
public record Status(String version, String clusterId, String memberId, String name, String leader, long raftTerm,
                     long raftIndex, long appliedIndex, long revision, long dbSizeBytes) {
}
