package io.roster.registry;

/** The answer to a heartbeat: the instance's TTL and the time now left before it expires. */
public record Heartbeat(long ttlSeconds, long remainingMillis) {
}
