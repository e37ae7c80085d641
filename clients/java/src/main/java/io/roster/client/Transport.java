package io.roster.client;

import io.roster.client.internal.Json;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Sends requests to the endpoints in turn: a request goes to the next endpoint when one cannot be reached,
 * answers 503 or was removed from the cluster, as far as {@link RetryPolicy} allows. Every other answer is
 * final: a 2xx is returned, an error raised as the typed exception {@link ErrorAnswers} picks.
 */
final class Transport {

    static final String REVISION_HEADER = "X-Roster-Revision";

    private final Endpoints endpoints;
    private final HttpClient http;
    private final String authorization;
    private final Duration dialTimeout;
    private final Duration requestTimeout;

    /** @param token a bearer token, or null for members that require none */
    Transport(Endpoints endpoints, HttpClient http, String token, Duration dialTimeout, Duration requestTimeout) {
        this.endpoints = endpoints;
        this.http = http;
        this.authorization = token == null ? null : "Bearer " + token;
        this.dialTimeout = dialTimeout;
        this.requestTimeout = requestTimeout;
    }

    Endpoints endpoints() {
        return endpoints;
    }

    /**
     * @return the 2xx answer
     * @throws RosterServerException       the answer was an error
     * @throws ClusterUnavailableException no endpoint served it, or a write may have been applied
     */
    Answer send(Request request) {
        List<EndpointFailure> failures = new ArrayList<>();
        for (String endpoint : endpoints.inTurn()) {
            Answer answer;
            try {
                answer = sendTo(endpoint, request);
            } catch (IOException e) {
                failures.add(new EndpointFailure(endpoint, describe(e, request)));
                if (RetryPolicy.afterIoFailure(request, e) == RetryPolicy.Decision.STOP_MAY_HAVE_APPLIED) {
                    throw new ClusterUnavailableException(failures, true, "not sent to another endpoint: "
                            + request.method() + " is not idempotent and may have been applied");
                }
                continue;
            }
            if (ErrorAnswers.isRemovedMember(answer)) {
                failures.add(new EndpointFailure(endpoint, "410 removed from the cluster"));
                continue; // it served nothing, so any request may go elsewhere
            }
            if (answer.status() == 503) {
                JsonNode problem = answer.json();
                boolean mayHaveApplied = problem.path("mayHaveApplied").asBoolean(false);
                failures.add(new EndpointFailure(endpoint, "503 " + Wire.problem(503, problem).describe()));
                if (RetryPolicy.afterUnavailable(request, mayHaveApplied) == RetryPolicy.Decision.STOP_MAY_HAVE_APPLIED) {
                    throw new ClusterUnavailableException(failures, true, "not sent to another endpoint: "
                            + request.method() + " is not idempotent and may have been applied");
                }
                continue;
            }
            endpoints.answered(endpoint);
            if (!answer.isSuccess()) {
                throw ErrorAnswers.toException(answer, authorization != null);
            }
            return answer;
        }
        throw new NoEndpointAvailableException(failures);
    }

    /** One attempt at one endpoint; any answer is returned as it is. */
    Answer sendTo(String endpoint, Request request) throws IOException {
        HttpRequest.Builder builder = authorized(HttpRequest.newBuilder(URI.create(endpoint + request.path())))
                .timeout(request.timeout() != null ? request.timeout() : requestTimeout)
                .header("Accept", "application/json, application/problem+json, application/octet-stream");
        if (request.body() != null) {
            builder.header("Content-Type", "application/json")
                    .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(Json.bytes(request.body())));
        } else {
            builder.method(request.method(), HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> response = await(endpoint, () -> http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray()));
        return new Answer(endpoint, response.statusCode(), response.body(),
                response.headers().firstValue("Content-Type").orElse(null), revisionHeader(response));
    }

    /** Opens a Server-Sent Event stream; the request timeout bounds the wait for the answer's headers only. */
    HttpResponse<InputStream> openEventStream(String endpoint, String pathAndQuery, long lastEventId) throws IOException {
        HttpRequest.Builder builder = authorized(HttpRequest.newBuilder(URI.create(endpoint + pathAndQuery)))
                .timeout(requestTimeout).header("Accept", "text/event-stream");
        if (lastEventId >= 0) {
            builder.header("Last-Event-ID", Long.toString(lastEventId));
        }
        HttpRequest request = builder.GET().build();
        return await(endpoint, () -> http.send(request, HttpResponse.BodyHandlers.ofInputStream()));
    }

    boolean sendsToken() {
        return authorization != null;
    }

    String describe(IOException failure, Request request) {
        return Failures.describe(failure, dialTimeout, request.timeout() != null ? request.timeout() : requestTimeout);
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
        return authorization == null ? builder : builder.header("Authorization", authorization);
    }

    private interface Exchange<T> {
        HttpResponse<T> send() throws IOException, InterruptedException;
    }

    private static <T> HttpResponse<T> await(String endpoint, Exchange<T> exchange) throws IOException {
        try {
            return exchange.send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RosterException("interrupted while waiting for " + endpoint, e);
        }
    }

    private static OptionalLong revisionHeader(HttpResponse<?> response) {
        return response.headers().firstValue(REVISION_HEADER).map(value -> {
            try {
                return OptionalLong.of(Long.parseLong(value.trim()));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }).orElse(OptionalLong.empty());
    }
}
