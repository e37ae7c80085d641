package io.roster.client;

/** Anything that kept a request from succeeding. */
public class RosterClientException extends RuntimeException {

    public RosterClientException(String message) {
        super(message);
    }

    public RosterClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
