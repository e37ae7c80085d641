package io.roster.testing.history;

/**
 * The sequential model's state of one key: absent, or a value with its mod revision. The revision is
 * {@link #UNKNOWN_REVISION} after an UNKNOWN write, whose revision nobody saw, until a read reveals it; it is then
 * still known to exceed {@code floor}, the last revision known before that write. An absent key keeps the revision of
 * the delete that removed it, because a later write must still get a greater one.
 *
 * @param value null when absent; {@link #UNOBSERVED} for a value no read ever returned
 * @param floor equal to {@code revision} when that is known (so equal states compare equal), else a lower bound
 */
record KeyState(boolean present, String value, long revision, long floor) {

    static final long UNKNOWN_REVISION = -1;

    /**
     * Stands for the value of an UNKNOWN write that no read returned. Such writes differ only in when they were
     * invoked, so giving them one value lets the search treat them as interchangeable.
     */
    static final String UNOBSERVED = "\u0000unobserved";

    static final KeyState INITIAL = absent(0);

    static KeyState present(String value, long revision) {
        return new KeyState(true, value, revision, revision);
    }

    static KeyState absent(long revision) {
        return new KeyState(false, null, revision, revision);
    }

    /** The state an UNKNOWN write leaves: {@code value} (or absent), at some revision above this state's. */
    KeyState replacedByUnknownWrite(String newValue) {
        return new KeyState(newValue != null, newValue, UNKNOWN_REVISION, floor);
    }

    boolean revisionKnown() {
        return revision != UNKNOWN_REVISION;
    }

    /** Whether this state's revision could be {@code candidate}. */
    boolean couldHaveRevision(long candidate) {
        return revisionKnown() ? revision == candidate : candidate > floor;
    }

    /** Whether a write with {@code newRevision} may replace this state: revisions only grow. */
    boolean precedes(long newRevision) {
        return newRevision > floor;
    }

    @Override
    public String toString() {
        String at = revisionKnown() ? "revision " + revision : "an unknown revision above " + floor;
        if (!present) {
            return "absent (since " + at + ")";
        }
        String shown = UNOBSERVED.equals(value) ? "the value of an unobserved UNKNOWN write" : "\"" + value + "\"";
        return shown + " at " + at;
    }
}
