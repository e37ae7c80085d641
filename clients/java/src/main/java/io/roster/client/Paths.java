package io.roster.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/** The API's paths and query strings, percent-encoded. */
final class Paths {

    private Paths() {
    }

    /** A key as a path: each '/'-separated part encoded, the slashes kept (the server takes the rest of the path). */
    static String key(String key) {
        StringJoiner path = new StringJoiner("/");
        for (String part : key.split("/", -1)) {
            path.add(segment(part));
        }
        return path.toString();
    }

    static String segment(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String instance(String service, String instanceId) {
        return "/v1/services/" + segment(service) + "/instances/" + segment(instanceId);
    }

    /** A query builder that skips null values and keeps repeated names (metadata=a=1&metadata=b=2). */
    static final class Query {
        private final String path;
        private final StringJoiner parts = new StringJoiner("&", "?", "").setEmptyValue("");

        /** @param path the encoded path the query follows, or "" for the query alone */
        Query(String path) {
            this.path = path;
        }

        Query add(String name, Object value) {
            if (value != null) {
                parts.add(encode(name) + "=" + encode(value.toString()));
            }
            return this;
        }

        @Override
        public String toString() {
            return path + parts;
        }

        private static String encode(String text) {
            return URLEncoder.encode(text, StandardCharsets.UTF_8);
        }
    }

    /** A query alone, to append to a path. */
    static Query query() {
        return new Query("");
    }
}
