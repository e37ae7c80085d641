package io.roster.client;

/** Anything that kept a call to Roster from succeeding. Subclasses say what, so callers can act on it. */
public class RosterException extends RuntimeException {

    public RosterException(String message) {
        super(message);
    }

    public RosterException(String message, Throwable cause) {
        super(message, cause);
    }
}
