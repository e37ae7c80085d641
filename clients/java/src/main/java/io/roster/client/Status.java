package io.roster.client;

/**
 * One member's view of the cluster, as etcd's endpoint status.
 *
 * @param leader      the leader's member id, or null when this member knows of none
 * @param raftIndex   the last index in the member's log
 * @param role        {@code leader}, {@code follower}, {@code learner}, {@code candidate}, ...; null from members
 *                    that do not say (releases before it)
 * @param commitIndex the last index the member knows committed; 0 from members that do not say
 */
public record Status(String version, String clusterId, String memberId, String name, String leader, long raftTerm,
                     long raftIndex, long appliedIndex, long revision, long dbSizeBytes, String role, long commitIndex) {

    /** A status without role and commit index, as members before them answer. */
    public Status(String version, String clusterId, String memberId, String name, String leader, long raftTerm,
                  long raftIndex, long appliedIndex, long revision, long dbSizeBytes) {
        this(version, clusterId, memberId, name, leader, raftTerm, raftIndex, appliedIndex, revision, dbSizeBytes, null, 0);
    }
}
