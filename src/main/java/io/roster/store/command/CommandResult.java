package io.roster.store.command;

import io.roster.store.KeyValue;

import java.util.List;

/**
 * What applying a command produced. A rejected operation (a failed comparison, a missing lease) is a
 * result computed identically on every replica, not an exception.
 */
public sealed interface CommandResult {

    /** The store revision after the command applied. */
    long revision();

    record Written(KeyValue kv, KeyValue previous, long revision) implements CommandResult {
    }

    record Deleted(List<KeyValue> deleted, long revision) implements CommandResult {
        public Deleted {
            deleted = List.copyOf(deleted);
        }
    }

    /** A compare-and-swap whose expected revision did not match; {@code current} is null when absent. */
    record CompareFailed(KeyValue current, long revision) implements CommandResult {
    }

    record LeaseGranted(long id, long ttlSeconds, long revision) implements CommandResult {
    }

    record LeaseRevoked(long id, int deletedKeys, long revision) implements CommandResult {
    }

    record LeaseNotFound(long id, long revision) implements CommandResult {
    }

    record LeaseAlreadyExists(long id, long revision) implements CommandResult {
    }

    record Done(long revision) implements CommandResult {
    }

    /** A membership change that does not fit the current member table (unknown id, peer URL in use). */
    record Rejected(String reason, long revision) implements CommandResult {
    }
}
