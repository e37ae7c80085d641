package io.roster.client;

import java.util.Optional;

/** 409: a compare-and-swap (prevRevision) did not match; {@link #current()} is the key as it is now. */
public class CompareFailedException extends RosterServerException {

    private final KeyValue current;
    private final long revision;

    public CompareFailedException(String endpoint, Problem problem, KeyValue current, long revision) {
        super(endpoint, problem);
        this.current = current;
        this.revision = revision;
    }

    /** The key's current entry, or empty when the key does not exist. */
    public Optional<KeyValue> current() {
        return Optional.ofNullable(current);
    }

    /** The store revision the comparison was made at. */
    public long revision() {
        return revision;
    }
}
