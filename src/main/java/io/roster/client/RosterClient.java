package io.roster.client;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A small client of Roster's REST API (java.net.http and Jackson; no Spring), used by {@code rosterctl}.
 *
 * <p>It is given the client URLs of one or more members and sends each request to one of them, starting
 * with the one that answered last. When an endpoint cannot be reached (connection refused, unknown host,
 * connect timeout), answers 503 (no leader, no quorum) or 410 "Member removed" (it was removed from the
 * cluster), the same request goes to the next endpoint.
 * Requests that are not idempotent (lease grant, member add) are not sent again after a timeout, a broken
 * connection or a 503 that says the first attempt may have been applied. When no endpoint serves a
 * request, {@link NoEndpointAvailableException} names each endpoint and why it failed. Any other answer
 * of the server is returned as it is, or, through the typed methods, raised as {@link ServerErrorException}
 * when it is an error.
 */
public final class RosterClient {

    public static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    public static final String REVISION_HEADER = "X-Roster-Revision";

    private static final Pattern WATCH_START = Pattern.compile("watching changes after revision (\\d+)");

    private final List<String> endpoints;
    private final HttpClient http;
    private final Duration dialTimeout;
    private final Duration requestTimeout;
    /** Sent as {@code Authorization: Bearer <token>}, or null for members that require none. */
    private final String token;
    private volatile int preferred;
    private volatile HttpClient tlsHttp;

    public RosterClient(List<String> endpoints) {
        this(endpoints, DEFAULT_DIAL_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * @param endpoints      client URLs such as {@code http://10.0.0.1:2379} (a missing scheme means http)
     * @param dialTimeout    how long to wait for a TCP connection to one endpoint
     * @param requestTimeout how long to wait for one endpoint's answer
     * @throws IllegalArgumentException when the list is empty or an endpoint is not an http(s) URL
     */
    public RosterClient(List<String> endpoints, Duration dialTimeout, Duration requestTimeout) {
        this(endpoints.stream().map(RosterClient::normalizeEndpoint).distinct().toList(), null, dialTimeout, requestTimeout, null);
    }

    private static HttpClient httpClient(List<String> endpoints, Duration dialTimeout) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(dialTimeout).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (endpoints.stream().noneMatch(endpoint -> endpoint.startsWith("https:"))) {
            // Plain HTTP only: skip the default TLS context, whose set-up (providers, the CA store) costs
            // a short-lived client like rosterctl a noticeable part of its start. It is never used.
            try {
                builder.sslContext(SSLContext.getInstance("TLS")).sslParameters(new SSLParameters());
            } catch (NoSuchAlgorithmException e) {
                // keep the default
            }
        }
        return builder.build();
    }

    /** @param http shared connections, or null for a new client */
    private RosterClient(List<String> endpoints, HttpClient http, Duration dialTimeout, Duration requestTimeout, String token) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no endpoints given");
        }
        this.endpoints = List.copyOf(endpoints);
        this.http = http != null ? http : httpClient(this.endpoints, dialTimeout);
        this.dialTimeout = dialTimeout;
        this.requestTimeout = requestTimeout;
        this.token = token;
    }

    /** The same endpoints and connections with another per-request timeout (e.g. for a large snapshot). */
    public RosterClient withRequestTimeout(Duration timeout) {
        RosterClient copy = new RosterClient(endpoints, http, dialTimeout, timeout, token);
        copy.preferred = preferred;
        return copy;
    }

    /**
     * The same endpoints and connections, sending {@code token} as a bearer token with every request (for
     * members that set {@code roster.auth.tokens}); null or blank sends none.
     *
     * @throws IllegalArgumentException when the token has characters no HTTP header can carry
     */
    public RosterClient withToken(String token) {
        String trimmed = token == null || token.isBlank() ? null : token.trim();
        if (trimmed != null && !trimmed.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("the token must be printable ASCII without spaces");
        }
        RosterClient copy = new RosterClient(endpoints, http, dialTimeout, requestTimeout, trimmed);
        copy.preferred = preferred;
        return copy;
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    public List<String> endpoints() {
        return endpoints;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * {@code http://host:port} without a trailing slash; {@code host:port} gets http://.
     *
     * @throws IllegalArgumentException when it is not an http(s) URL with a host
     */
    public static String normalizeEndpoint(String raw) {
        String text = raw == null ? "" : raw.trim();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("an endpoint is empty");
        }
        if (!text.contains("://")) {
            text = "http://" + text;
        }
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("endpoint '" + raw + "' is not a URL: " + e.getReason());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("endpoint '" + raw + "' must be http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("endpoint '" + raw + "' has no host (or a malformed host:port)");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
            throw new IllegalArgumentException("endpoint '" + raw + "' must not have a path");
        }
        return text;
    }

    // ---- sending ----

    /**
     * Sends the request to the endpoints in turn until one answers with anything but 503; returns that
     * answer, whatever its status.
     *
     * @throws NoEndpointAvailableException when none did
     */
    public ApiResponse send(Request request) {
        List<EndpointFailure> failures = new ArrayList<>();
        int start = preferred;
        for (int i = 0; i < endpoints.size(); i++) {
            int index = (start + i) % endpoints.size();
            String endpoint = endpoints.get(index);
            ApiResponse response;
            try {
                response = sendOnce(endpoint, request);
            } catch (IOException e) {
                failures.add(new EndpointFailure(endpoint, describeFailure(e)));
                if (!request.idempotent() && !beforeSending(e)) {
                    throw new NoEndpointAvailableException(failures, "not sent to another endpoint: "
                            + request.method() + " is not idempotent and may have been applied");
                }
                continue;
            }
            if (removedMember(response)) {
                failures.add(new EndpointFailure(endpoint, "410 removed from the cluster"));
                continue; // it served nothing, so any request may go elsewhere
            }
            if (response.status() == 503) {
                JsonNode problem = response.json();
                failures.add(new EndpointFailure(endpoint, "503 " + describe(problem, "service unavailable")));
                if (!request.idempotent() && problem.path("mayHaveApplied").asBoolean(false)) {
                    throw new NoEndpointAvailableException(failures, "not sent to another endpoint: "
                            + request.method() + " is not idempotent and may have been applied");
                }
                continue;
            }
            preferred = index;
            return response;
        }
        throw new NoEndpointAvailableException(failures);
    }

    /**
     * {@link #send} and then: the JSON body of a 2xx answer (an empty object when there is none), or a
     * {@link ServerErrorException} with the problem's detail.
     */
    public JsonNode call(Request request) {
        JsonNode body = requireSuccess(send(request)).json();
        return body.isMissingNode() ? Json.object() : body;
    }

    /** A member that was removed from the cluster answers every request 410 "Member removed": ask another. */
    private static boolean removedMember(ApiResponse response) {
        return response.status() == 410 && "Member removed".equals(response.json().path("title").asString(""));
    }

    /** Raises the answer's problem as a {@link ServerErrorException} unless it is a 2xx. */
    public static ApiResponse requireSuccess(ApiResponse response) {
        if (response.isSuccess()) {
            return response;
        }
        JsonNode problem = response.json();
        String fallback = "HTTP " + response.status() + (response.body().length == 0 ? "" : ": " + firstLine(response.text()));
        String message = describe(problem, fallback);
        if (response.status() == 404 && message.startsWith("No static resource")) {
            // Spring's answer for a path no controller serves: the server predates this API
            message = response.endpoint() + " does not serve " + message.substring("No static resource".length()).trim()
                    .replaceAll("\\.$", "") + " (a server version without this API?)";
        }
        throw new ServerErrorException(response.endpoint(), response.status(), problem, message);
    }

    private ApiResponse sendOnce(String endpoint, Request request) throws IOException {
        HttpRequest.Builder builder = authorized(HttpRequest.newBuilder(URI.create(endpoint + request.path())))
                .timeout(requestTimeout)
                .header("Accept", "application/json, application/problem+json, application/octet-stream");
        if (request.body() != null) {
            builder.header("Content-Type", "application/json")
                    .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(Json.bytes(request.body())));
        } else {
            builder.method(request.method(), HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<byte[]> response = httpFor(endpoint).send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new ApiResponse(endpoint, response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse(null), revisionHeader(response));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RosterClientException("interrupted while waiting for " + endpoint, e);
        }
    }

    /** The shared client, or for an https endpoint that it was not set up for (e.g. found by --cluster), one with TLS. */
    private HttpClient httpFor(String endpoint) {
        if (!endpoint.startsWith("https:") || endpoints.stream().anyMatch(known -> known.startsWith("https:"))) {
            return http;
        }
        HttpClient tls = tlsHttp;
        if (tls == null) {
            tls = httpClient(List.of(endpoint), dialTimeout);
            tlsHttp = tls;
        }
        return tls;
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

    /** Whether the failure happened before the request could reach the server (so resending is safe). */
    private static boolean beforeSending(IOException e) {
        return e instanceof HttpConnectTimeoutException || e instanceof ConnectException
                || hasCause(e, UnresolvedAddressException.class) || hasCause(e, UnknownHostException.class);
    }

    /** A short reason for an endpoint's failure, as a person would say it. */
    public String describeFailure(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "connect timed out after " + seconds(dialTimeout);
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out after " + seconds(requestTimeout);
        }
        if (hasCause(e, UnresolvedAddressException.class) || hasCause(e, UnknownHostException.class)) {
            return "unknown host";
        }
        if (hasCause(e, NoRouteToHostException.class)) {
            return "no route to host";
        }
        String message = firstMessage(e);
        if (e instanceof ConnectException || hasCause(e, ConnectException.class)) {
            return message == null || message.toLowerCase(java.util.Locale.ROOT).contains("refused")
                    ? "connection refused" : message;
        }
        if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("closed")) {
            return "connection closed: " + message;
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return true;
            }
        }
        return false;
    }

    private static String firstMessage(Throwable error) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (current.getMessage() != null && !current.getMessage().isBlank()) {
                return current.getMessage();
            }
        }
        return null;
    }

    /** The problem's detail (or title), else the fallback. */
    static String describe(JsonNode problem, String fallback) {
        String detail = problem.path("detail").asString("");
        if (!detail.isBlank()) {
            return detail;
        }
        String title = problem.path("title").asString("");
        return title.isBlank() ? fallback : title;
    }

    private static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    // ---- paths ----

    /** A key as a path: each '/'-separated part percent-encoded, the slashes kept (the server takes the rest of the path). */
    public static String keyPath(String key) {
        StringJoiner path = new StringJoiner("/");
        for (String part : key.split("/", -1)) {
            path.add(encodePathSegment(part));
        }
        return path.toString();
    }

    public static String encodePathSegment(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String query(Map<String, String> parameters) {
        String query = parameters.entrySet().stream().filter(entry -> entry.getValue() != null)
                .map(entry -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return query.isEmpty() ? "" : "?" + query;
    }

    // ---- status and health ----

    /** {@code GET /v1/status} of whichever endpoint answers. */
    public JsonNode status() {
        return call(Request.get("/v1/status"));
    }

    /** {@code GET /actuator/health} of one endpoint, whatever its status (200 UP, 503 not). */
    public ApiResponse health(String endpoint) throws IOException {
        return sendOnce(normalizeEndpoint(endpoint), Request.get("/actuator/health"));
    }

    /** {@code GET /v1/status} of one endpoint. */
    public JsonNode statusOf(String endpoint) throws IOException {
        return requireSuccess(sendOnce(normalizeEndpoint(endpoint), Request.get("/v1/status"))).json();
    }

    // ---- key-value ----

    /**
     * @param lease        a lease id, or null
     * @param prevRevision compare-and-swap (0 = create only), or null
     */
    public JsonNode put(String key, String value, String lease, Long prevRevision) {
        ObjectNode body = Json.object().put("value", value);
        if (lease != null) {
            body.put("lease", lease);
        }
        if (prevRevision != null) {
            body.put("prevRevision", prevRevision);
        }
        Request request = Request.put("/v1/kv/" + keyPath(key), body);
        return call(prevRevision == null ? request : request.notIdempotent());
    }

    /**
     * @param limit       at most this many keys (prefix only), or null for the server's default
     * @param consistency {@code linearizable} or {@code serializable}, or null for the default
     */
    public JsonNode get(String key, boolean prefix, Integer limit, String consistency) {
        Map<String, String> query = new LinkedHashMap<>();
        if (prefix) {
            query.put("prefix", "true");
            query.put("limit", limit == null ? null : limit.toString());
        }
        query.put("consistency", consistency);
        return call(Request.get("/v1/kv/" + keyPath(key) + query(query)));
    }

    public JsonNode delete(String key, boolean prefix) {
        return call(Request.delete("/v1/kv/" + keyPath(key) + (prefix ? "?prefix=true" : "")));
    }

    // ---- leases ----

    public JsonNode grantLease(long ttlSeconds) {
        return call(Request.post("/v1/leases", Json.object().put("ttlSeconds", ttlSeconds)));
    }

    public JsonNode keepAlive(String leaseId) {
        return call(Request.put("/v1/leases/" + encodePathSegment(leaseId) + "/keepalive", null));
    }

    public JsonNode timeToLive(String leaseId) {
        return call(Request.get("/v1/leases/" + encodePathSegment(leaseId)));
    }

    public JsonNode revokeLease(String leaseId) {
        return call(Request.delete("/v1/leases/" + encodePathSegment(leaseId)));
    }

    // ---- service registry ----

    /** Registers (or replaces) an instance; the body is the server's registration: host, port, ttlSeconds, zone, … */
    public JsonNode register(String service, String instanceId, JsonNode registration) {
        return call(Request.put(instancePath(service, instanceId), registration));
    }

    /** @return the revision of the deregistration, when the server said it */
    public OptionalLong deregister(String service, String instanceId) {
        return requireSuccess(send(Request.delete(instancePath(service, instanceId)))).revision();
    }

    public JsonNode heartbeat(String service, String instanceId) {
        return call(Request.put(instancePath(service, instanceId) + "/heartbeat", null));
    }

    public JsonNode services() {
        return call(Request.get("/v1/services"));
    }

    /** @param status only instances in this status (UP, DOWN, STARTING, OUT_OF_SERVICE), or null for all */
    public JsonNode instances(String service, String status) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("status", status);
        return call(Request.get("/v1/services/" + encodePathSegment(service) + "/instances" + query(query)));
    }

    public JsonNode instance(String service, String instanceId) {
        return call(Request.get(instancePath(service, instanceId)));
    }

    private static String instancePath(String service, String instanceId) {
        return "/v1/services/" + encodePathSegment(service) + "/instances/" + encodePathSegment(instanceId);
    }

    // ---- membership ----

    public JsonNode members() {
        return call(Request.get("/v1/members"));
    }

    public JsonNode addMember(String name, List<String> peerUrls, boolean learner) {
        ObjectNode body = Json.object().put("name", name).put("isLearner", learner);
        ArrayNode urls = body.putArray("peerUrls");
        peerUrls.forEach(urls::add);
        return call(Request.post("/v1/members", body));
    }

    public JsonNode updateMember(String memberId, List<String> peerUrls) {
        ObjectNode body = Json.object();
        ArrayNode urls = body.putArray("peerUrls");
        peerUrls.forEach(urls::add);
        return call(Request.put("/v1/members/" + encodePathSegment(memberId), body));
    }

    public JsonNode removeMember(String memberId, boolean force) {
        return call(Request.delete("/v1/members/" + encodePathSegment(memberId) + (force ? "?force=true" : "")));
    }

    public JsonNode promoteMember(String memberId) {
        return call(Request.post("/v1/members/" + encodePathSegment(memberId) + "/promote", null));
    }

    public JsonNode transferLeadership(String memberId) {
        return call(Request.post("/v1/members/" + encodePathSegment(memberId) + "/transfer-leadership", null));
    }

    // ---- maintenance ----

    /** {@code GET /v1/snapshot}: the whole store, in Roster's snapshot format; its revision is in the answer's header. */
    public ApiResponse snapshot() {
        return requireSuccess(send(Request.get("/v1/snapshot")));
    }

    // ---- watches ----

    /**
     * Watches a key (or every key under a prefix) until the handler returns false.
     *
     * @param afterRevision deliver changes after this revision, or null for changes from now on
     */
    public void watchKeys(String key, boolean prefix, Long afterRevision, WatchHandler handler) {
        watch("/v1/watch/kv/" + keyPath(key), prefix ? Map.of("prefix", "true") : Map.of(), afterRevision, handler);
    }

    /** Watches one service's instances, or every service's when {@code service} is null. */
    public void watchServices(String service, Long afterRevision, WatchHandler handler) {
        watch("/v1/watch/services" + (service == null ? "" : "/" + encodePathSegment(service)), Map.of(), afterRevision,
                handler);
    }

    /**
     * Follows a Server-Sent Event stream. When the stream breaks (the member stopped, the connection
     * dropped), it resumes on the next endpoint after the last revision it delivered, so no event is lost or
     * repeated; it gives up when a whole round of endpoints fails.
     */
    public void watch(String path, Map<String, String> parameters, Long afterRevision, WatchHandler handler) {
        long after = afterRevision == null ? -1 : afterRevision;
        List<EndpointFailure> failures = new ArrayList<>();
        int index = preferred;
        int attemptsLeft = endpoints.size();
        while (attemptsLeft-- > 0) {
            String endpoint = endpoints.get(index);
            int current = index;
            index = (index + 1) % endpoints.size();
            Map<String, String> query = new LinkedHashMap<>(parameters);
            if (after >= 0) {
                query.put("revision", Long.toString(after));
            }
            HttpRequest request = authorized(HttpRequest.newBuilder(URI.create(endpoint + path + query(query))))
                    .timeout(requestTimeout).header("Accept", "text/event-stream").GET().build();
            HttpResponse<Stream<String>> response;
            try {
                response = httpFor(endpoint).send(request, HttpResponse.BodyHandlers.ofLines());
            } catch (IOException e) {
                failures.add(new EndpointFailure(endpoint, describeFailure(e)));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RosterClientException("interrupted", e);
            }
            if (response.statusCode() != 200) {
                String body;
                try (Stream<String> lines = response.body()) {
                    body = lines.collect(Collectors.joining("\n"));
                }
                String contentType = response.headers().firstValue("Content-Type").orElse(null);
                ApiResponse answer = new ApiResponse(endpoint, response.statusCode(), body.getBytes(StandardCharsets.UTF_8),
                        contentType, revisionHeader(response));
                if (answer.status() == 503) {
                    failures.add(new EndpointFailure(endpoint, "503 " + describe(answer.json(), "service unavailable")));
                    continue;
                }
                if (removedMember(answer)) {
                    failures.add(new EndpointFailure(endpoint, "410 removed from the cluster"));
                    continue;
                }
                requireSuccess(answer);
                throw new ServerErrorException(endpoint, answer.status(), answer.json(), "unexpected answer " + answer.status());
            }
            preferred = current;
            long connectedAt = System.nanoTime();
            StreamOutcome outcome;
            try (Stream<String> lines = response.body()) {
                outcome = follow(endpoint, lines.iterator(), after, handler);
            }
            if (outcome.stopped()) {
                return;
            }
            after = outcome.lastRevision();
            failures.add(new EndpointFailure(endpoint, "the event stream ended"));
            if (outcome.delivered() || System.nanoTime() - connectedAt > dialTimeout.toNanos()) {
                // it was a working stream that broke: start a fresh round of endpoints from the next one
                attemptsLeft = endpoints.size();
                failures.clear();
            }
        }
        throw new NoEndpointAvailableException(failures);
    }

    private record StreamOutcome(boolean stopped, long lastRevision, boolean delivered) {
    }

    private static StreamOutcome follow(String endpoint, Iterator<String> lines, long after, WatchHandler handler) {
        long last = after;
        boolean delivered = false;
        String id = null;
        String eventName = null;
        StringBuilder data = null;
        try {
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.isEmpty()) {
                    if (data != null) {
                        if ("end".equals(eventName)) {
                            throw new WatchEndedException(endpoint, data.toString());
                        }
                        JsonNode event = Json.parse(data.toString());
                        long revision = id != null ? Long.parseLong(id.trim()) : event.path("revision").asLong(last);
                        last = Math.max(last, revision);
                        delivered = true;
                        if (!handler.onEvent(revision, event)) {
                            return new StreamOutcome(true, last, true);
                        }
                    }
                    id = null;
                    eventName = null;
                    data = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    Matcher start = WATCH_START.matcher(line);
                    if (last < 0 && start.find()) {
                        last = Long.parseLong(start.group(1));
                    }
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "id":
                        id = value;
                        break;
                    case "event":
                        eventName = value;
                        break;
                    case "data":
                        data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        break;
                    default:
                        break;
                }
            }
        } catch (java.io.UncheckedIOException e) {
            // the connection broke: resume elsewhere
        }
        return new StreamOutcome(false, last, delivered);
    }
}
