package io.roster.client;

/** A consistent snapshot of the whole store, in Roster's snapshot format, taken at {@code revision} by {@code endpoint}. */
public record Snapshot(byte[] data, long revision, String endpoint) {
}
