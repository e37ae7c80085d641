package io.roster.client;

import tools.jackson.databind.JsonNode;

/**
 * The server answered with an error: an RFC 9457 problem whose {@code detail} says what is wrong (a
 * missing key, a failed compare-and-swap, an invalid field, a refused membership change).
 */
public class ServerErrorException extends RosterClientException {

    private final String endpoint;
    private final int status;
    private final JsonNode problem;

    public ServerErrorException(String endpoint, int status, JsonNode problem, String message) {
        super(message);
        this.endpoint = endpoint;
        this.status = status;
        this.problem = problem;
    }

    /** The endpoint that answered. */
    public String endpoint() {
        return endpoint;
    }

    /** The HTTP status: 400 invalid, 404 not found, 409 compare failed or refused, 503 unavailable, … */
    public int status() {
        return status;
    }

    /** The problem document, or a missing node when the body was not JSON. */
    public JsonNode problem() {
        return problem;
    }

    public boolean isNotFound() {
        return status == 404;
    }

    public boolean isConflict() {
        return status == 409;
    }
}
