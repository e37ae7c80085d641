package io.roster.client;

import tools.jackson.databind.JsonNode;

import java.time.Duration;

/**
 * One REST call, before it is sent to an endpoint.
 *
 * @param path       the path and query, already encoded (see {@link Paths})
 * @param body       a JSON body, or null
 * @param idempotent whether applying it twice does no harm: only such requests go to the next endpoint once
 *                   they may have reached a member (see {@link RetryPolicy})
 * @param timeout    how long to wait for the answer, or null for the client's request timeout
 */
record Request(String method, String path, JsonNode body, boolean idempotent, Duration timeout) {

    static Request get(String path) {
        return new Request("GET", path, null, true, null);
    }

    static Request put(String path, JsonNode body) {
        return new Request("PUT", path, body, true, null);
    }

    static Request patch(String path, JsonNode body) {
        return new Request("PATCH", path, body, true, null);
    }

    static Request post(String path, JsonNode body) {
        return new Request("POST", path, body, false, null);
    }

    static Request delete(String path) {
        return new Request("DELETE", path, null, true, null);
    }

    Request notIdempotent() {
        return new Request(method, path, body, false, timeout);
    }

    Request withTimeout(Duration timeout) {
        return new Request(method, path, body, idempotent, timeout);
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
