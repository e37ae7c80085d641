package io.roster.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One key as the store holds it. {@code lease} is 0 when the key is not bound to a lease.
 * The value is bytes so that the store never depends on how the API presents it.
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version, long lease) {

    public KeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    public String valueAsString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** The same key as seen by a delete at {@code revision}: the tombstone a watcher receives. */
    public KeyValue deletedAt(long revision) {
        return new KeyValue(key, new byte[0], 0, revision, 0, 0);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyValue that
                && key.equals(that.key)
                && Arrays.equals(value, that.value)
                && createRevision == that.createRevision
                && modRevision == that.modRevision
                && version == that.version
                && lease == that.lease;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, Arrays.hashCode(value), createRevision, modRevision, version, lease);
    }

    @Override
    public String toString() {
        return "KeyValue[" + key + "@" + modRevision + " v" + version + " lease=" + lease + " " + value.length + "B]";
    }
}
