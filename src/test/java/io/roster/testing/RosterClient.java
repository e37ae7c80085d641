package io.roster.testing;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * A tiny JSON client for one Roster node's HTTP API, as an operator's script would use it: every call
 * answers with the status code and the parsed body, and connection problems surface as {@link IOException}
 * (the caller decides whether that means "down" or "outcome unknown").
 */
public final class RosterClient {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    public static final String SERIALIZABLE = "serializable";
    public static final String LINEARIZABLE = "linearizable";
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** One client (and so one connection pool and selector thread) for the whole test JVM. */
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final String baseUrl;
    private final Duration timeout;

    public RosterClient(String baseUrl) {
        this(baseUrl, DEFAULT_TIMEOUT);
    }

    /** @param timeout how long one request may take; longer than the server's request timeout (5 s by default) */
    public RosterClient(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public RosterClient withTimeout(Duration requestTimeout) {
        return new RosterClient(baseUrl, requestTimeout);
    }

    /** An HTTP answer: the status, the raw body and, when it is JSON, the parsed body (else a missing node). */
    public record Response(int status, String text, JsonNode body, java.net.http.HttpHeaders headers) {

        public boolean ok() {
            return status == 200;
        }

        /** The {@code X-Roster-Revision} header, when present. */
        public OptionalLong revisionHeader() {
            return headers.firstValue("X-Roster-Revision").map(Long::parseLong).map(OptionalLong::of).orElse(OptionalLong.empty());
        }

        /** A text field of the body, or null when absent or not text. */
        public String string(String field) {
            JsonNode node = body.path(field);
            return node.isString() ? node.stringValue() : null;
        }

        public long number(String field) {
            JsonNode node = body.path(field);
            if (!node.isIntegralNumber()) {
                throw new AssertionError("expected a number in field '" + field + "' of " + this);
            }
            return node.longValue();
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + (text.length() > 2000 ? text.substring(0, 2000) + "…" : text);
        }
    }

    // ---- key-value API ----

    public Response put(String key, String value) throws IOException {
        return request("PUT", "/v1/kv/" + encodeKey(key), Map.of("value", value));
    }

    /** A read with the given consistency ({@link #SERIALIZABLE} = this node's local state), or the default if null. */
    public Response get(String key, String consistency) throws IOException {
        return request("GET", "/v1/kv/" + encodeKey(key) + (consistency == null ? "" : "?consistency=" + consistency), null);
    }

    public Response range(String prefix, int limit, String consistency) throws IOException {
        return request("GET", "/v1/kv/" + encodeKey(prefix) + "?prefix=true&limit=" + limit
                + (consistency == null ? "" : "&consistency=" + consistency), null);
    }

    public Response delete(String key) throws IOException {
        return request("DELETE", "/v1/kv/" + encodeKey(key), null);
    }

    // ---- operations ----

    /** {@code GET /v1/status}; anything but 200 is an error. */
    public JsonNode status() throws IOException {
        Response response = request("GET", "/v1/status", null);
        if (!response.ok()) {
            throw new IOException("GET " + baseUrl + "/v1/status answered " + response);
        }
        return response.body();
    }

    /** {@code GET /actuator/health/readiness}: 200 when ready, 503 when not (body says why). */
    public Response readiness() throws IOException {
        return request("GET", "/actuator/health/readiness", null);
    }

    /** Any request; {@code body} is written as JSON when not null. */
    public Response request(String method, String path, Object body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException(method + " " + baseUrl + path + " interrupted");
            interrupted.initCause(e);
            throw interrupted;
        }
        return new Response(response.statusCode(), response.body(), parse(response.body()), response.headers());
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(text);
        } catch (JacksonException e) {
            return JSON.missingNode();
        }
    }

    /** Keys may contain '/', which the API takes as part of the key; every other segment is percent-encoded. */
    private static String encodeKey(String key) {
        return Arrays.stream(key.split("/", -1))
                .map(segment -> URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }

    @Override
    public String toString() {
        return "RosterClient[" + baseUrl + "]";
    }
}
