package io.roster.raft;

import java.util.List;

/**
 * One node's view of the Raft group at one moment.
 *
 * @param leaderPeer the leader's peer address ({@code host:port}), or null while there is none
 * @param voters the voting members, known only on the leader (empty elsewhere)
 * @param leaderlessFor how long this member has been without a leader (zero while it has one)
 * @param failure why this node stopped applying entries, or null
 */
public record RaftStatus(
        String selfPeer,
        String state,
        boolean leader,
        String leaderPeer,
        long term,
        long lastLogIndex,
        long committedIndex,
        long appliedIndex,
        long leaderChanges,
        long lastSnapshotIndex,
        long lastSnapshotBytes,
        List<String> voters,
        List<String> learners,
        java.time.Duration leaderlessFor,
        String failure) {

    public boolean hasLeader() {
        return leaderPeer != null;
    }
}
