package io.roster.testing.history;

import java.util.Objects;

/**
 * One client operation on one key: what was asked, what came back, and when.
 *
 * @param id           unique within its history
 * @param value        the value a PUT or CAS writes; null for GET and DELETE
 * @param prevRevision the revision a CAS compares against (0 = "key absent"); null for other kinds
 * @param invokeNanos  {@link System#nanoTime()} before the request was sent
 * @param completeNanos {@link System#nanoTime()} after the answer arrived; {@link Long#MAX_VALUE} for UNKNOWN,
 *                     because an operation whose answer never came may take effect at any later time
 * @param output       what an OK operation returned; null unless the outcome is OK
 */
public record Operation(long id, String client, Kind kind, String key, String value, Long prevRevision,
                        Outcome outcome, long invokeNanos, long completeNanos, Output output) {

    public enum Kind { PUT, CAS, GET, DELETE }

    /** FAILED means the operation surely did not apply; UNKNOWN means it may or may not have. */
    public enum Outcome { OK, FAILED, UNKNOWN }

    /**
     * What an OK operation returned; build it with the factory methods, one per kind of answer.
     *
     * @param revision the revision a PUT, CAS or DELETE created (for a DELETE that removed nothing: the store's)
     * @param entry    what a GET found (null = absent), or the current entry a conflicting CAS reported (null = absent)
     * @param conflict a CAS that was refused (409) because the key's revision differed from prevRevision
     * @param deleted  how many keys a DELETE removed (0 or 1)
     */
    public record Output(Long revision, Entry entry, boolean conflict, Integer deleted) {

        public static Output written(long revision) {
            return new Output(revision, null, false, null);
        }

        public static Output found(String value, long modRevision) {
            return new Output(null, new Entry(value, modRevision), false, null);
        }

        public static Output absent() {
            return new Output(null, null, false, null);
        }

        /** A refused CAS; {@code current} is the entry the 409 reported, null if it reported the key absent. */
        public static Output conflict(Entry current) {
            return new Output(null, current, true, null);
        }

        public static Output deleted(int count, long revision) {
            return new Output(revision, null, false, count);
        }
    }

    public Operation {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(outcome, "outcome");
        if (outcome == Outcome.OK && output == null) {
            throw new IllegalArgumentException("an OK operation needs its output: " + kind + " " + key);
        }
        if (kind == Kind.CAS && prevRevision == null) {
            throw new IllegalArgumentException("a CAS needs a prevRevision: " + key);
        }
    }

    /** True for PUT, CAS and DELETE. */
    public boolean modifies() {
        return kind != Kind.GET;
    }

    /** True for PUT and CAS, the kinds that write a value. */
    public boolean writesValue() {
        return kind == Kind.PUT || kind == Kind.CAS;
    }

    /** True for an acknowledged write that changed the key: an OK PUT, an unrefused OK CAS, an OK DELETE that removed it. */
    public boolean acknowledgedChange() {
        if (outcome != Outcome.OK) {
            return false;
        }
        return switch (kind) {
            case PUT -> true;
            case CAS -> !output.conflict();
            case DELETE -> output.deleted() != null && output.deleted() == 1;
            case GET -> false;
        };
    }
}
