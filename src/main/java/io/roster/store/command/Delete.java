package io.roster.store.command;

import java.util.Objects;

/**
 * Deletes one key, or with {@code prefix} every key that starts with it. {@code prevRevision} makes a
 * single-key delete conditional on the key's mod revision.
 */
public record Delete(String key, boolean prefix, long prevRevision) implements Command {

    public Delete {
        Objects.requireNonNull(key, "key");
        if (prefix && prevRevision != NO_COMPARE) {
            throw new IllegalArgumentException("a prefix delete cannot compare a revision");
        }
    }
}
