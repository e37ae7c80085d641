package io.roster.kv;

import io.roster.store.KeyValue;

/** A compare-and-swap whose expected revision did not match; carries the key's current entry (or null). */
public class CompareFailedException extends RuntimeException {

    private final transient KeyValue current;
    private final long revision;

    public CompareFailedException(String message, KeyValue current, long revision) {
        super(message);
        this.current = current;
        this.revision = revision;
    }

    public KeyValue current() {
        return current;
    }

    public long revision() {
        return revision;
    }
}
