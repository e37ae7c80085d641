package io.roster.client;

/** 401: the members require a client token and the one given (or none) is not accepted. */
public class UnauthorizedException extends RosterServerException {

    public UnauthorizedException(String endpoint, Problem problem, boolean tokenSent) {
        super(endpoint, problem, problem.describe() + (tokenSent
                ? " (the token given to RosterClient.builder().token(…) is not among the members' roster.auth.tokens)"
                : " (give one with RosterClient.builder().token(…); the members list theirs in roster.auth.tokens)"));
    }
}
