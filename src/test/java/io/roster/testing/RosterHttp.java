package io.roster.testing;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small JSON-over-HTTP client for tests that drive Roster the way curl users do. */
public final class RosterHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    /** Sent with every request, e.g. Authorization. */
    private final Map<String, String> headers;

    public RosterHttp(String baseUrl) {
        this(baseUrl, Map.of());
    }

    private RosterHttp(String baseUrl, Map<String, String> headers) {
        this.baseUrl = baseUrl;
        this.headers = headers;
    }

    /** The same client, sending {@code Authorization: Bearer <token>} with every request. */
    public RosterHttp withToken(String token) {
        return new RosterHttp(baseUrl, Map.of("Authorization", "Bearer " + token));
    }

    public Reply get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public Reply delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    public Reply put(String path, String json) {
        return send(withJson(HttpRequest.newBuilder(uri(path)), json).PUT(body(json)));
    }

    public Reply post(String path, String json) {
        return send(withJson(HttpRequest.newBuilder(uri(path)), json).POST(body(json)));
    }

    public Reply send(HttpRequest.Builder request) {
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("X-Roster-Revision").orElse(null),
                    response.headers().firstValue("WWW-Authenticate").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    public static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    private static HttpRequest.Builder withJson(HttpRequest.Builder builder, String json) {
        return json == null ? builder : builder.header("Content-Type", "application/json");
    }

    private static HttpRequest.BodyPublisher body(String json) {
        return json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
    }

    /** One HTTP answer; {@code json()} parses the body. */
    public record Reply(int status, String body, String contentType, String revisionHeader, String challenge) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public boolean isProblem() {
            return contentType.startsWith("application/problem+json");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
