package io.roster.kv;

import io.roster.common.InvalidInputException;
import io.roster.common.NotFoundException;
import io.roster.config.RosterProperties;
import io.roster.raft.RaftNode;
import io.roster.raft.ReadConsistency;
import io.roster.store.KeyValue;
import io.roster.store.RangeResult;
import io.roster.store.RosterStore;
import io.roster.store.command.Command;
import io.roster.store.command.CommandResult;
import io.roster.store.command.Delete;
import io.roster.store.command.Put;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Key-value operations: checks what a request means against the limits, then proposes or reads. */
public final class KvService {

    /** Keys the service registry manages; the key-value API may read them but not write them. */
    public static final String RESERVED_PREFIX = "/registry/";
    /** A put or delete that compares nothing: it applies whatever the key's revision. */
    public static final long NO_COMPARE = Command.NO_COMPARE;

    private final RaftNode raft;
    private final RosterStore store;
    private final RosterProperties.Limits limits;

    public KvService(RaftNode raft, RosterStore store, RosterProperties.Limits limits) {
        this.raft = raft;
        this.store = store;
        this.limits = limits;
    }

    /**
     * @param lease 0 for none
     * @param prevRevision {@link #NO_COMPARE}, 0 for "create only", or the expected mod revision
     */
    public CompletableFuture<Written> put(String key, String value, long lease, long prevRevision) {
        requireKey(key);
        requireWritable(key, false);
        if (value == null) {
            throw InvalidInputException.invalid("value", "value is required (use \"\" for an empty value)");
        }
        byte[] bytes = utf8("value", value);
        if (bytes.length > limits.maxValueBytes()) {
            throw InvalidInputException.overLimit("value", "value is " + bytes.length + " bytes; the limit is "
                    + limits.maxValueBytes() + " bytes (roster.limits.max-value-bytes)", String.valueOf(limits.maxValueBytes()), true);
        }
        requirePrevRevision(prevRevision);
        return raft.propose(new Put(key, bytes, lease, prevRevision)).thenApply(result -> {
            if (result instanceof CommandResult.Written written) {
                return new Written(written.kv(), written.revision());
            }
            if (result instanceof CommandResult.CompareFailed failed) {
                throw compareFailed(key, prevRevision, failed);
            }
            if (result instanceof CommandResult.LeaseNotFound missing) {
                throw new NotFoundException("lease " + io.roster.lease.LeaseIds.format(missing.id())
                        + " not found: it expired, was revoked, or never existed; grant a new one", missing.revision());
            }
            throw new IllegalStateException("unexpected result of a put: " + result);
        });
    }

    public CompletableFuture<Deleted> delete(String key, boolean prefix, long prevRevision) {
        if (!prefix) {
            requireKey(key);
        }
        requireWritable(key, prefix);
        requirePrevRevision(prevRevision);
        if (prefix && prevRevision != Command.NO_COMPARE) {
            throw InvalidInputException.invalid("prevRevision", "prevRevision applies to a single key, not to prefix=true");
        }
        return raft.propose(new Delete(key, prefix, prevRevision)).thenApply(result -> {
            if (result instanceof CommandResult.Deleted deleted) {
                return new Deleted(deleted.deleted().size(), deleted.revision());
            }
            if (result instanceof CommandResult.CompareFailed failed) {
                throw compareFailed(key, prevRevision, failed);
            }
            throw new IllegalStateException("unexpected result of a delete: " + result);
        });
    }

    /** The key at the revision read, or {@link NotFoundException}. */
    public CompletableFuture<Read> get(String key, ReadConsistency consistency) {
        requireKey(key);
        return raft.readBarrier(consistency).thenApply(ignored -> {
            // Read the revision first: the entry can only be as new as or newer than it.
            long revision = store.revision();
            KeyValue kv = store.get(key);
            if (kv == null) {
                throw new NotFoundException("key '" + key + "' not found", revision);
            }
            return new Read(kv, Math.max(revision, kv.modRevision()));
        });
    }

    public CompletableFuture<Range> range(String prefix, int limit, ReadConsistency consistency) {
        if (limit < 0 || limit > limits.maxRangeLimit()) {
            throw InvalidInputException.overLimit("limit", "limit must be between 0 (all, up to the maximum) and "
                    + limits.maxRangeLimit() + " (roster.limits.max-range-limit), not " + limit,
                    String.valueOf(limits.maxRangeLimit()), false);
        }
        requireKeyLength(prefix);
        int effective = limit == 0 ? limits.maxRangeLimit() : limit;
        return raft.readBarrier(consistency).thenApply(ignored -> {
            RangeResult range = store.range(prefix, effective);
            return new Range(range.kvs(), range.count(), range.more(), range.revision());
        });
    }

    /** The key as a put left it, and the revision the put created. */
    public record Written(KeyValue kv, long revision) {
    }

    /** How many keys a delete removed, and the revision it created (the current one when it removed none). */
    public record Deleted(int deleted, long revision) {
    }

    /** The key read, and the revision the answer reflects. */
    public record Read(KeyValue kv, long revision) {
    }

    /** Keys under a prefix, in order: at most the limit asked for, the total that matched, and the revision read at. */
    public record Range(List<KeyValue> kvs, int count, boolean more, long revision) {

        public Range {
            kvs = List.copyOf(kvs);
        }
    }

    /** A watch needs a key, or a prefix (which may be empty: every key). */
    public void requireWatchable(String key, boolean prefix) {
        if (!prefix) {
            requireKey(key);
        } else {
            requireKeyLength(key);
        }
    }

    private static void requireWritable(String key, boolean prefix) {
        if (key.startsWith(RESERVED_PREFIX)) {
            throw InvalidInputException.invalid("key", "keys under " + RESERVED_PREFIX
                    + " are managed by the service registry; change them through /v1/services");
        }
        if (prefix && RESERVED_PREFIX.startsWith(key)) {
            throw InvalidInputException.invalid("key", "a prefix delete of '" + key + "' would also remove the service"
                    + " registry's keys under " + RESERVED_PREFIX + "; use a longer prefix");
        }
    }

    private void requireKey(String key) {
        if (key == null || key.isEmpty()) {
            throw InvalidInputException.invalid("key", "key must not be empty");
        }
        requireKeyLength(key);
    }

    private void requireKeyLength(String key) {
        int length = utf8("key", key).length;
        if (length > limits.maxKeyBytes()) {
            throw InvalidInputException.overLimit("key", "key is " + length + " bytes; the limit is " + limits.maxKeyBytes()
                    + " bytes (roster.limits.max-key-bytes)", String.valueOf(limits.maxKeyBytes()), false);
        }
        if (key.chars().anyMatch(Character::isISOControl)) {
            throw InvalidInputException.invalid("key", "key must not contain control characters");
        }
    }

    /** Strict UTF-8: a lone surrogate (valid in JSON escapes, not in Unicode) is refused, never replaced by '?'. */
    private static byte[] utf8(String field, String text) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw InvalidInputException.invalid(field, field + " is not valid Unicode text (it contains a lone surrogate)");
        }
    }

    private static void requirePrevRevision(long prevRevision) {
        if (prevRevision < 0 && prevRevision != Command.NO_COMPARE) {
            throw InvalidInputException.invalid("prevRevision", "prevRevision must be 0 (create only) or a revision, not " + prevRevision);
        }
    }

    private static CompareFailedException compareFailed(String key, long expected, CommandResult.CompareFailed failed) {
        String actual = failed.current() == null ? "the key does not exist" : "its mod revision is " + failed.current().modRevision();
        String wanted = expected == 0 ? "expected the key to be absent" : "expected mod revision " + expected;
        return new CompareFailedException("compare failed for key '" + key + "': " + wanted + " but " + actual,
                failed.current(), failed.revision());
    }
}
