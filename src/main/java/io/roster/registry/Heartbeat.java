package io.roster.registry;

/**
 * The answer to a heartbeat: the instance's TTL, the time now left before it expires, and the store
 * revision this member had applied when the leader answered.
 */
public record Heartbeat(long ttlSeconds, long remainingMillis, long revision) {

    /** A lease whose countdown (re)started just now: its whole TTL is left. */
    static Heartbeat withWholeTtl(long ttlSeconds, long revision) {
        return new Heartbeat(ttlSeconds, ttlSeconds * 1000, revision);
    }
}
