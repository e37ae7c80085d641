package io.roster.store;

/**
 * A lease as replicated. {@code checkpointedRemainingMillis} is the remaining time the leader last
 * recorded through the log, or {@link #NO_CHECKPOINT} when a new leader should start the full TTL.
 */
public record Lease(long id, long ttlSeconds, long checkpointedRemainingMillis) {

    public static final long NO_CHECKPOINT = -1;

    /** The countdown a newly elected leader starts this lease with. */
    public long countdownMillis() {
        return checkpointedRemainingMillis == NO_CHECKPOINT ? ttlSeconds * 1000 : checkpointedRemainingMillis;
    }

    Lease withCheckpoint(long remainingMillis) {
        return new Lease(id, ttlSeconds, remainingMillis);
    }
}
