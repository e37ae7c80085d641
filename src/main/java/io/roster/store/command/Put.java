package io.roster.store.command;

import java.util.Arrays;
import java.util.Objects;

/**
 * Sets a key. With {@code prevRevision} other than {@link Command#NO_COMPARE} it is a compare-and-swap:
 * 0 means "only if absent", N means "only if the key's mod revision is N". {@code lease} 0 means none.
 */
public record Put(String key, byte[] value, long lease, long prevRevision) implements Command {

    public Put {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Put that && key.equals(that.key) && Arrays.equals(value, that.value)
                && lease == that.lease && prevRevision == that.prevRevision;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, Arrays.hashCode(value), lease, prevRevision);
    }

    @Override
    public String toString() {
        return "Put[" + key + " " + value.length + "B lease=" + lease + " prev=" + prevRevision + "]";
    }
}
