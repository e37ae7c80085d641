package io.roster.client;

/** A renewed instance lease: its TTL and the seconds left (the full TTL right after a heartbeat). */
public record Heartbeat(long ttlSeconds, long remainingSeconds) {
}
