package io.roster.store;

/**
 * A committed change to one key, in revision order. For a delete, {@code kv} is the tombstone and
 * {@code previous} the value that was removed.
 */
public record KeyEvent(Type type, KeyValue kv, KeyValue previous, long revision, Cause cause) {

    public enum Type { PUT, DELETE }

    /** Why the key changed: a client's request, or the expiry or revocation of its lease. */
    public enum Cause { REQUEST, LEASE_EXPIRED, LEASE_REVOKED }
}
