package io.roster.testing.history;

/** A key's stored value and the revision that last modified it, as a read or a conflict reported it. */
public record Entry(String value, long modRevision) {
}
