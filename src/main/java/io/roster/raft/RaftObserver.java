package io.roster.raft;

/** Told about each proposal and snapshot, for metrics; must return quickly and never throw. */
public interface RaftObserver {

    RaftObserver NONE = new RaftObserver() {
    };

    /** A proposal completed after {@code nanos}; {@code failed} when it was not committed (or its outcome is unknown). */
    default void onProposal(long nanos, boolean failed) {
    }

    default void onSnapshotSaved(long nanos, long bytes) {
    }
}
