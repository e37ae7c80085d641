package io.roster.raft;

/** Told about each proposal, snapshot and coalesced forward, for metrics; must return quickly and never throw. */
public interface RaftObserver {

    RaftObserver NONE = new RaftObserver() {
    };

    /** A proposal completed after {@code nanos}; {@code failed} when it was not committed (or its outcome is unknown). */
    default void onProposal(long nanos, boolean failed) {
    }

    default void onSnapshotSaved(long nanos, long bytes) {
    }

    /** A follower sent {@code calls} calls of a coalesced {@code operation} to the leader in one message (ADR 0016). */
    default void onCoalescedCalls(String operation, int calls) {
    }
}
