package io.roster.testing.history;

/**
 * The sequential model's state of one key: absent, or a value with its mod revision. The revision is
 * {@link #UNKNOWN_REVISION} after an UNKNOWN write, whose revision nobody saw, until a read reveals it. An absent
 * key keeps the revision of the delete that removed it, because a later write must still get a greater one.
 *
 * @param value null when absent; {@link #UNOBSERVED} for a value no read ever returned
 */
record KeyState(boolean present, String value, long revision) {

    static final long UNKNOWN_REVISION = -1;

    /**
     * Stands for the value of an UNKNOWN write that no read returned. Such writes differ only in when they were
     * invoked, so giving them one value lets the search treat them as interchangeable.
     */
    static final String UNOBSERVED = "\u0000unobserved";

    static final KeyState INITIAL = new KeyState(false, null, 0);

    static KeyState present(String value, long revision) {
        return new KeyState(true, value, revision);
    }

    static KeyState absent(long revision) {
        return new KeyState(false, null, revision);
    }

    boolean revisionKnown() {
        return revision != UNKNOWN_REVISION;
    }

    /** A write with {@code newRevision} may follow this state: revisions only grow. */
    boolean precedes(long newRevision) {
        return !revisionKnown() || newRevision > revision;
    }

    @Override
    public String toString() {
        String at = revisionKnown() ? "revision " + revision : "an unknown revision";
        if (!present) {
            return "absent (since " + at + ")";
        }
        String shown = UNOBSERVED.equals(value) ? "the value of an unobserved UNKNOWN write" : "\"" + value + "\"";
        return shown + " at " + at;
    }
}
