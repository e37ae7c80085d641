package io.roster.raft;

import java.time.Duration;

/**
 * How the leader sees one other member.
 *
 * @param lagEntries entries the member is behind the leader's log
 * @param sinceLastContact how long the member has been unreachable; null while it is reachable
 */
public record PeerState(String peer, boolean learner, State state, long lagEntries, Duration sinceLastContact) {

    public enum State {
        /** Reachable and within the lag threshold. */
        REPLICATING,
        /** Reachable but more than the lag threshold behind (catching up, or too slow). */
        LAGGING,
        /** No answer from it for longer than the leader lease. */
        UNREACHABLE
    }
}
