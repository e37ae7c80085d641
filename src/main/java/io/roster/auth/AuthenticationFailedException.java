package io.roster.auth;

/** A name and password that do not match a user; 401, with the same message whichever was wrong. */
public class AuthenticationFailedException extends RuntimeException {

    public AuthenticationFailedException(String message) {
        super(message);
    }
}
