package io.roster.client;

/** A lease as granted or renewed: its id (16 hex digits) and TTL. */
public record Lease(String id, long ttlSeconds) {
}
