package io.roster.store;

/**
 * An entry or snapshot that this version cannot decode. Replicas must not skip it and diverge, so the
 * node stops applying when it meets one.
 */
public class CorruptEntryException extends RuntimeException {

    public CorruptEntryException(String message) {
        super(message);
    }

    public CorruptEntryException(String message, Throwable cause) {
        super(message, cause);
    }
}
