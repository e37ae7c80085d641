package io.roster.store.command;

import java.util.Arrays;
import java.util.Objects;

/**
 * Grants a new lease and puts a key bound to it, at one revision: a service instance's registration.
 * When the key was bound to another lease that is left with no keys, that lease is retired in the same
 * step, so re-registering never leaves an orphan lease behind.
 */
public record GrantAndPut(String key, byte[] value, long leaseId, long ttlSeconds) implements Command {

    public GrantAndPut {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GrantAndPut that && key.equals(that.key) && Arrays.equals(value, that.value)
                && leaseId == that.leaseId && ttlSeconds == that.ttlSeconds;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, Arrays.hashCode(value), leaseId, ttlSeconds);
    }

    @Override
    public String toString() {
        return "GrantAndPut[" + key + " " + value.length + "B lease=" + leaseId + " ttl=" + ttlSeconds + "]";
    }
}
