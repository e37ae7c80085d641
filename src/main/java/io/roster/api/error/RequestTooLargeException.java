package io.roster.api.error;

import java.io.IOException;

/** A request body past {@code roster.limits.max-request-body}; an IOException so it surfaces from the stream. */
class RequestTooLargeException extends IOException {

    private final long limit;

    RequestTooLargeException(long limit) {
        super("the request body exceeds " + limit + " bytes (roster.limits.max-request-body)");
        this.limit = limit;
    }

    long limit() {
        return limit;
    }
}
