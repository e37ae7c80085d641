package io.roster.testing;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The one HTTP client of the tests that need to see the wire: status codes, headers, problem bodies and event
 * streams, as curl shows them. Tests that only need Roster's behaviour use the project's client library instead.
 *
 * <p>Every call answers with the status and body, whatever the status. Only an unanswered request throws, as an
 * {@link UncheckedIOException}; the caller decides whether that means "down" or "outcome unknown".
 */
public final class RosterHttp {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    public static final String SERIALIZABLE = "serializable";
    public static final String LINEARIZABLE = "linearizable";
    /** Longer than the server's own request timeout (5 s by default), and than a loaded machine's pauses. */
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** One client (and so one connection pool and selector thread) for the whole test JVM. */
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final String baseUrl;
    private final Duration timeout;
    /** Sent with every request, e.g. Authorization. */
    private final Map<String, String> headers;

    public RosterHttp(String baseUrl) {
        this(baseUrl, DEFAULT_TIMEOUT, Map.of());
    }

    private RosterHttp(String baseUrl, Duration timeout, Map<String, String> headers) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
        this.headers = headers;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The same client, giving up on a request after {@code requestTimeout}. */
    public RosterHttp withTimeout(Duration requestTimeout) {
        return new RosterHttp(baseUrl, requestTimeout, headers);
    }

    /** The same client, sending {@code Authorization: Bearer <token>} with every request. */
    public RosterHttp withToken(String token) {
        return new RosterHttp(baseUrl, timeout, Map.of("Authorization", "Bearer " + token));
    }

    // ---- any request ----

    public Reply get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public Reply delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    /** {@code PUT} with a JSON text body (none when null). */
    public Reply put(String path, String json) {
        return send(withJson(HttpRequest.newBuilder(uri(path)), json).PUT(body(json)));
    }

    /** {@code POST} with a JSON text body (none when null). */
    public Reply post(String path, String json) {
        return send(withJson(HttpRequest.newBuilder(uri(path)), json).POST(body(json)));
    }

    /** Any method; {@code body} is written as JSON when not null. */
    public Reply request(String method, String path, Object body) {
        String json = body == null ? null : json(body);
        return send(withJson(HttpRequest.newBuilder(uri(path)), json).method(method, body(json)));
    }

    /** A request built by the caller (odd headers, odd bodies); this client's headers and timeout are added. */
    public Reply send(HttpRequest.Builder request) {
        headers.forEach(request::header);
        HttpResponse<String> response = exchange(HTTP, request.timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Reply(response.statusCode(), response.body(), response.headers());
    }

    /** Opens a Server-Sent Events stream ({@code /v1/watch/...}) and reads it in the background until closed. */
    public EventStream events(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Accept", "text/event-stream").GET();
        headers.forEach(request::header);
        HttpResponse<java.io.InputStream> response = exchange(streamClient(), request.build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try {
            return new EventStream(response);
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + baseUrl + path + " answered " + response.statusCode()
                    + " and its body could not be read: " + e, e);
        }
    }

    /** Sends one request; only an unanswered one throws. */
    private static <T> HttpResponse<T> exchange(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return client.send(request, body);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " got no answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException(request.method() + " " + request.uri() + " interrupted");
            interrupted.initCause(e);
            throw new UncheckedIOException(interrupted);
        }
    }

    /**
     * A client of its own for each stream: a stream closed half-read on the shared client has been seen to break the
     * next request on that client ("header parser received no bytes") or hold up the next stream.
     */
    private static HttpClient streamClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    }

    // ---- the key-value API ----

    public Reply kvPut(String key, String value) {
        return request("PUT", "/v1/kv/" + encodeKey(key), Map.of("value", value));
    }

    /** A read with the given consistency ({@link #SERIALIZABLE} = this node's local state), or the default if null. */
    public Reply kvGet(String key, String consistency) {
        return get("/v1/kv/" + encodeKey(key) + (consistency == null ? "" : "?consistency=" + consistency));
    }

    public Reply kvRange(String prefix, int limit, String consistency) {
        return get("/v1/kv/" + encodeKey(prefix) + "?prefix=true&limit=" + limit
                + (consistency == null ? "" : "&consistency=" + consistency));
    }

    public Reply kvDelete(String key) {
        return delete("/v1/kv/" + encodeKey(key));
    }

    // ---- operations ----

    /** {@code GET /v1/status}; anything but 200 is an error. */
    public JsonNode status() {
        Reply reply = get("/v1/status");
        if (!reply.ok()) {
            throw new UncheckedIOException(new IOException("GET " + baseUrl + "/v1/status answered " + reply));
        }
        return reply.json();
    }

    /** {@code GET /actuator/health/readiness}: 200 when ready, 503 when not (body says why). */
    public Reply readiness() {
        return get("/actuator/health/readiness");
    }

    public URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    public static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    /** Keys may contain '/', which the API takes as part of the key; every other segment is percent-encoded. */
    private static String encodeKey(String key) {
        return Arrays.stream(key.split("/", -1))
                .map(segment -> URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }

    private static HttpRequest.Builder withJson(HttpRequest.Builder builder, String json) {
        return json == null ? builder : builder.header("Content-Type", "application/json");
    }

    private static HttpRequest.BodyPublisher body(String json) {
        return json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
    }

    @Override
    public String toString() {
        return "RosterHttp[" + baseUrl + "]";
    }

    /** One HTTP answer: the status, the body as sent, and the headers. */
    public record Reply(int status, String body, HttpHeaders headers) {

        public boolean ok() {
            return status == 200;
        }

        /** The body parsed as JSON, or a missing node when it is empty or not JSON (so fields read as absent). */
        public JsonNode json() {
            if (body == null || body.isBlank()) {
                return JSON.missingNode();
            }
            try {
                return JSON.readTree(body);
            } catch (JacksonException e) {
                return JSON.missingNode();
            }
        }

        public String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }

        public boolean isProblem() {
            return contentType().startsWith("application/problem+json");
        }

        /** The {@code X-Roster-Revision} header as sent, or null. */
        public String revisionHeader() {
            return headers.firstValue("X-Roster-Revision").orElse(null);
        }

        /** The {@code X-Roster-Revision} header as a number, when present. */
        public OptionalLong revision() {
            String header = revisionHeader();
            return header == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(header));
        }

        /** The {@code WWW-Authenticate} header, or null. */
        public String challenge() {
            return headers.firstValue("WWW-Authenticate").orElse(null);
        }

        /** A text field of the JSON body, or null when absent or not text. */
        public String string(String field) {
            JsonNode node = json().path(field);
            return node.isString() ? node.stringValue() : null;
        }

        public long number(String field) {
            JsonNode node = json().path(field);
            if (!node.isIntegralNumber()) {
                throw new AssertionError("expected a number in field '" + field + "' of " + this);
            }
            return node.longValue();
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + (body.length() > 2000 ? body.substring(0, 2000) + "…" : body);
        }
    }
}
