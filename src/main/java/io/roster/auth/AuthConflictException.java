package io.roster.auth;

/** An access-control change that does not fit the current state (an existing user, the last root); 409. */
public class AuthConflictException extends RuntimeException {

    public AuthConflictException(String message) {
        super(message);
    }
}
