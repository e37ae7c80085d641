package io.roster.client;

import tools.jackson.databind.JsonNode;

/**
 * One REST call, before it is sent to an endpoint.
 *
 * @param path       the path and query, already encoded (see {@link RosterClient#keyPath})
 * @param body       a JSON body, or null
 * @param idempotent whether sending it twice does no harm: only such requests are sent to the next endpoint
 *                   after a timeout or a 503 that says the first attempt may have been applied
 */
public record Request(String method, String path, JsonNode body, boolean idempotent) {

    public static Request get(String path) {
        return new Request("GET", path, null, true);
    }

    public static Request put(String path, JsonNode body) {
        return new Request("PUT", path, body, true);
    }

    public static Request post(String path, JsonNode body) {
        return new Request("POST", path, body, false);
    }

    public static Request delete(String path) {
        return new Request("DELETE", path, null, true);
    }

    public Request notIdempotent() {
        return new Request(method, path, body, false);
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
