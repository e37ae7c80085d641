package io.roster.api;

import io.roster.api.HostileRequests.Auth;
import io.roster.api.HostileRequests.Request;
import io.roster.testing.RawHttp.Outcome;
import io.roster.testing.RawHttp.Response;
import io.roster.testing.RawHttp;
import io.roster.testing.RealNodeTest;
import io.roster.testing.RosterHttp.Reply;
import io.roster.testing.RosterHttp;
import io.roster.watch.WatchHub;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.server.WebFilter;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * A hostile client against one real node with client tokens on: generated, seeded, malformed requests
 * over raw sockets (see {@link HostileRequests} for the classes), for about a minute in
 * {@code ./mvnw verify}. It asserts that nothing answers 5xx, that every 4xx is a problem with a detail,
 * that no answer names a Java type or shows a stack trace, that nothing but the public paths answers
 * without the token, that seeded keys and instances are untouched and the node still ready, and that
 * the token never reaches the log.
 *
 * <p>Settings (system properties): {@code roster.fuzz.seconds} (default 60), {@code roster.fuzz.requests}
 * (a count instead of a time; the long run is 10000), {@code roster.fuzz.seed} (default random; printed
 * at the start and in every failure), {@code roster.fuzz.threads} (default 3) and
 * {@code roster.fuzz.replay} (comma-separated request indexes of a seed, to send only those again).
 */
@AutoConfigureMetrics // the open Prometheus scrape is one of the public paths under attack
@ExtendWith(OutputCaptureExtension.class)
// Keep-alives every second: a watch whose client left is noticed at the next one, so the end of the run can
// check that no request is left in progress.
@TestPropertySource(properties = {"roster.auth.tokens=" + HostileInputFuzzTest.TOKEN, "roster.watch.keep-alive-interval=1s"})
class HostileInputFuzzTest extends RealNodeTest {

    private static final Logger log = LoggerFactory.getLogger(HostileInputFuzzTest.class);

    static final String TOKEN = "fuzz-token-7Qm2vX9kLp4RtW8z";

    @Autowired
    private WatchHub hub;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> PUBLIC = Set.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
            "/actuator/prometheus", "/v1/auth/authenticate",
            "/v3/api-docs", "/swagger-ui.html",
            // the console's entrances, and those of its files the requests target (docs/adr/0016)
            "/", "/ui", "/ui/", "/ui/app.js", "/ui/index.html");
    private static final String[] PUBLIC_PREFIXES = {"/v3/api-docs/", "/swagger-ui/"};
    /** What the 4xx a client gets before the token check can be: the server's own refusals, and the 401 itself. */
    private static final Set<Integer> BEFORE_THE_TOKEN = Set.of(400, 401, 408, 413, 414, 417, 431);
    private static final String[] LEAKS = {"java.", "javax.", "jakarta.", "tools.jackson", "com.fasterxml", "org.springframework",
            "org.apache", "Exception", "at io.roster", "\tat ", "Caused by"};
    private static final List<String> SEEDED_KEYS = List.of("seed/alpha", "seed/beta", "seed/gamma/deep");
    private static final List<String> SEEDED_INSTANCES = List.of("seeded-1", "seeded-2");
    private static final int MAX_LISTED = 20;

    @Test
    void hostileRequestsGetProblemsNeverReachPastTheTokenAndChangeNothingSeeded(CapturedOutput output) throws Exception {
        long seed = Long.getLong("roster.fuzz.seed", new java.security.SecureRandom().nextLong());
        Long requests = Long.getLong("roster.fuzz.requests");
        Duration budget = Duration.ofSeconds(Long.getLong("roster.fuzz.seconds", requests == null ? 60 : 3_600));
        int threads = Integer.getInteger("roster.fuzz.threads", 3);
        String replay = System.getProperty("roster.fuzz.replay", "");
        String replayHint = "-Droster.fuzz.seed=" + seed;
        // Also a log line of our own: the check that the token never reaches the log is only as good as the capture.
        String marker = "hostile-input fuzz run starts, seed " + seed;
        log.info("{} (replay a run: {}; one request: {} -Droster.fuzz.replay=<index>)", marker, replayHint, replayHint);
        assertThat(output.getAll()).as("log output is captured").contains(marker);

        RosterHttp client = http.withToken(TOKEN);
        Map<String, JsonNode> seededKeys = seedKeys(client);
        Map<String, JsonNode> seededInstances = seedInstances(client);
        Set<String> protectedLeases = seededInstances.values().stream().map(i -> i.get("leaseId").asString()).collect(Collectors.toSet());

        List<String> heartbeatFailures = Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
        heartbeats.scheduleWithFixedDelay(() -> {
            for (String instance : SEEDED_INSTANCES) {
                Reply beat = client.put("/v1/services/seeded/instances/" + instance + "/heartbeat", null);
                if (beat.status() != 200) {
                    heartbeatFailures.add(instance + ": " + beat);
                }
            }
        }, 0, 2, TimeUnit.SECONDS);

        HostileRequests generator = new HostileRequests(seed, TOKEN, protectedLeases);
        RawHttp raw = new RawHttp(port, Duration.ofSeconds(10));
        Stats stats = new Stats();
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        long[] only = replay.isBlank() ? null : Arrays.stream(replay.split(",")).mapToLong(s -> Long.parseLong(s.trim())).toArray();
        AtomicLong next = new AtomicLong();
        Instant start = Instant.now();
        Instant deadline = start.plus(budget);

        ExecutorService workers = Executors.newFixedThreadPool(threads);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            running.add(workers.submit(() -> {
                while (true) {
                    long n = next.getAndIncrement();
                    long index;
                    if (only != null) {
                        if (n >= only.length) {
                            return null;
                        }
                        index = only[(int) n];
                    } else if ((requests != null && n >= requests) || Instant.now().isAfter(deadline)) {
                        return null;
                    } else {
                        index = n;
                    }
                    Request request = generator.generate(index);
                    Response response;
                    try {
                        response = raw.exchange(request.bytes(), request.halfClose());
                    } catch (IOException e) {
                        response = new Response(-1, Map.of(), new byte[0], Outcome.CLOSED_WITHOUT_RESPONSE);
                    }
                    stats.count(request, response);
                    for (String problem : check(request, response)) {
                        violations.add(describe(seed, request, response, problem));
                    }
                }
            }));
        }
        for (Future<?> worker : running) {
            worker.get();
        }
        workers.shutdown();
        Duration took = Duration.between(start, Instant.now());
        heartbeats.shutdown();
        assertThat(heartbeats.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        // Afterwards: the node is ready, the seeded data is as it was, nothing else was written outside fuzz names.
        Reply ready = http.get("/actuator/health/readiness");
        if (ready.status() != 200) {
            violations.add("seed " + seed + ": the node is not ready after the run: " + ready);
        }
        seededKeys.forEach((key, before) -> {
            JsonNode after = withoutRevision(client.get("/v1/kv/" + key));
            if (!before.equals(after)) {
                violations.add("seed " + seed + ": seeded key " + key + " changed: before " + before + ", after " + after);
            }
        });
        seededInstances.forEach((instance, before) -> {
            JsonNode after = withoutRevision(client.get("/v1/services/seeded/instances/" + instance));
            if (!before.equals(after)) {
                violations.add("seed " + seed + ": seeded instance " + instance + " changed: before " + before + ", after " + after);
            }
        });
        for (JsonNode kv : client.get("/v1/kv/?prefix=true&limit=10000").json().get("kvs")) {
            String key = kv.get("key").asString();
            // The registry keeps an instance as the key /registry/services/<service>/<instance>.
            boolean seededInstance = SEEDED_INSTANCES.stream().anyMatch(i -> key.equals("/registry/services/seeded/" + i));
            if (!SEEDED_KEYS.contains(key) && !seededInstance && !key.contains("fuzz")) {
                violations.add("seed " + seed + ": a key no fuzz request named was written: '" + key + "'");
            }
        }
        for (JsonNode service : client.get("/v1/services").json().get("services")) {
            String name = service.get("name").asString();
            if (!name.equals("seeded") && !name.contains("fuzz")) {
                violations.add("seed " + seed + ": a service no fuzz request named was registered: '" + name + "'");
            }
        }
        JsonNode lookup = client.get("/v1/services/seeded/instances").json().get("instances");
        if (lookup.size() != SEEDED_INSTANCES.size()) {
            violations.add("seed " + seed + ": service 'seeded' has " + lookup.size() + " instances, not " + SEEDED_INSTANCES.size());
        }
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> RequestsInProgress.count() == 0);
        } catch (ConditionTimeoutException e) {
            violations.add("seed " + seed + ": " + RequestsInProgress.count() + " asynchronous requests (watches, blocking queries) are"
                    + " still in progress 15 s after the run, though every client has gone; shutdown would wait for them: "
                    + RequestsInProgress.stillInProgress());
        }
        heartbeatFailures.forEach(failure -> violations.add("seed " + seed + ": a heartbeat of a seeded instance failed: " + failure));
        if (output.getAll().contains(TOKEN)) {
            violations.add("seed " + seed + ": the client token appears in the log output");
        }

        String summary = stats.summary(seed, took, violations.size());
        log.info(summary);

        assertThat(stats.total.sum()).as("seed %d: requests sent", seed).isPositive();
        if (!violations.isEmpty()) {
            fail("seed " + seed + " (replay: " + replayHint + "): " + violations.size() + " violations in " + stats.total.sum()
                    + " requests; the first " + Math.min(MAX_LISTED, violations.size()) + ":\n"
                    + String.join("\n", violations.subList(0, Math.min(MAX_LISTED, violations.size()))) + "\n" + summary);
        }
    }

    // ---------------------------------------------------------------- what the fuzzer found, pinned

    /** Found by the fuzzer (seed 1): Spring hands a repeated parameter over as a String[], whose toString() was the detail. */
    @Test
    void aRepeatedParameterWithAWrongValueIsNamedNotPrintedAsAJavaArray() throws IOException {
        for (String query : List.of("limit=abc&limit=-1&limit=1e3", "prefix=maybe&prefix=&prefix=TRUE")) {
            Response response = new RawHttp(port, Duration.ofSeconds(10)).exchange(HostileRequests.ascii("GET /v1/kv/fuzz/a?" + query
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN + "\r\nConnection: close\r\n\r\n"), false);
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.header("content-type")).startsWith("application/problem+json");
            String parameter = query.substring(0, query.indexOf('='));
            assertThat(JSON.readTree(response.bodyText()).get("detail").asString()).as(query)
                    .startsWith("parameter '" + parameter + "' must be").endsWith("(it is given 3 times; give it once)")
                    .doesNotContain("java.", "[L", "@");
        }
    }

    /**
     * Found by the fuzzer (seed 1): with two Authorization headers only the first counted, so a request
     * with the token and a wrong credential was served. Authorization is a singleton field; two are refused.
     */
    @Test
    void twoAuthorizationHeadersAreRefusedWhicheverComesFirst() throws IOException {
        String good = "Authorization: Bearer " + TOKEN;
        String bad = "Authorization: Bearer not-the-token-0123456789";
        for (List<String> pair : List.of(List.of(good, bad), List.of(bad, good), List.of(good, good))) {
            for (String path : List.of("/v1/status", "/v1/services/seeded/instances/seeded-1/heartbeat")) {
                String method = path.endsWith("/heartbeat") ? "PUT" : "GET";
                Response response = new RawHttp(port, Duration.ofSeconds(10)).exchange(HostileRequests.ascii(method + " " + path
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + pair.get(0) + "\r\n" + pair.get(1) + "\r\nContent-Length: 0\r\n"
                        + "Connection: close\r\n\r\n"), false);
                String what = method + " " + path + " with " + pair.stream().map(h -> h.replace(TOKEN, "<token>")).toList();
                assertThat(response.status()).as(what).isEqualTo(401);
                assertThat(response.header("www-authenticate")).as(what).contains("error=\"invalid_request\"");
                assertThat(JSON.readTree(response.bodyText()).get("detail").asString()).as(what).contains("more than one Authorization header");
            }
        }
    }

    /**
     * Found by the fuzzer: the health and metrics endpoints answered an unknown name with a bare 404, no
     * body and no content type, and a health path going on past an unknown name with a 500.
     */
    @Test
    void anUnknownHealthComponentOrMetricIsA404Problem() throws IOException {
        for (String path : List.of("/actuator/health/nope", "/actuator/health/liveness/extra", "/actuator/metrics/nope",
                "/actuator/health/nope/more", "/actuator/health/readiness/nope/more", "/actuator/health/o/o/o/o",
                "/actuator/metrics/jvm.memory.used?tag=area:nope")) {
            Response response = new RawHttp(port, Duration.ofSeconds(10)).exchange(HostileRequests.ascii("GET " + path
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN + "\r\nConnection: close\r\n\r\n"), false);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.header("content-type")).as(path).startsWith("application/problem+json");
            assertThat(JSON.readTree(response.bodyText()).get("detail").asString()).as(path).contains("no such health group or component, metric");
        }
        Reply readiness = http.get("/actuator/health/readiness");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().get("status").asString()).isEqualTo("UP");
    }

    /**
     * Found by the fuzzer: a metadata key with a lone surrogate, sent as ISO-8859-1 JSON (whose parser lets
     * it through), was stored, and every read of its service then failed with a 500 until it expired.
     */
    @Test
    void aLoneSurrogateInInstanceTextIsRefusedAndTheServiceStaysReadable() throws IOException {
        RosterHttp client = http.withToken(TOKEN);
        String instance = "/v1/services/fuzz-surrogate/instances/i1";
        for (String body : List.of("{\"host\":\"h\",\"port\":80,\"metadata\":{\"\\udfff\":\"v\"}}",
                "{\"host\":\"h\",\"port\":80,\"metadata\":{\"k\":\"a\\ud800\"}}", "{\"host\":\"h\",\"port\":80,\"zone\":\"z\\udfff\"}")) {
            for (String charset : List.of("utf-8", "iso-8859-1")) {
                Response response = new RawHttp(port, Duration.ofSeconds(10)).exchange(HostileRequests.ascii("PUT " + instance
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Type: application/json; charset="
                        + charset + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body), false);
                assertThat(response.status()).as(body + " as " + charset).isEqualTo(400);
                assertThat(response.header("content-type")).startsWith("application/problem+json");
            }
        }
        Reply registered = client.put(instance, "{\"host\":\"h\",\"port\":80}");
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        String patchBody = "{\"metadata\":{\"\\udfff\":\"x\"}}";
        Response patch = new RawHttp(port, Duration.ofSeconds(10)).exchange(HostileRequests.ascii("PATCH " + instance
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Type: application/json; charset=iso-8859-1"
                + "\r\nContent-Length: " + patchBody.length() + "\r\nConnection: close\r\n\r\n" + patchBody), false);
        assertThat(patch.status()).as(patch.bodyText()).isEqualTo(400);
        assertThat(JSON.readTree(patch.bodyText()).get("detail").asString()).contains("lone surrogate");
        assertThat(client.get("/v1/services").status()).isEqualTo(200);
        assertThat(client.get("/v1/services/fuzz-surrogate/instances").status()).isEqualTo(200);
        assertThat(client.delete(instance).status()).isEqualTo(204);
    }

    /** Which requests have not ended, to name them when some never do: what a graceful shutdown waits for. */
    @TestConfiguration
    static class RequestsInProgress {

        private static final Map<Long, String> IN_PROGRESS = new ConcurrentHashMap<>();
        private static final AtomicLong IDS = new AtomicLong();

        static List<String> stillInProgress() {
            return new ArrayList<>(IN_PROGRESS.values());
        }

        static int count() {
            return IN_PROGRESS.size();
        }

        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        WebFilter requestTracker() {
            return (exchange, chain) -> {
                long id = IDS.incrementAndGet();
                var request = exchange.getRequest();
                IN_PROGRESS.put(id, request.getMethod() + " " + request.getURI().getRawPath() + (request.getURI().getRawQuery() == null ? ""
                        : "?" + request.getURI().getRawQuery()) + " Accept=" + request.getHeaders().getFirst("Accept")
                        + " Last-Event-ID=" + request.getHeaders().getFirst("Last-Event-ID"));
                return chain.filter(exchange).doFinally(signal -> IN_PROGRESS.remove(id));
            };
        }
    }

    /**
     * Found by the fuzzer: a watch that replays from a revision, whose client read the headers and left,
     * stayed an asynchronous request in progress for good, and graceful shutdown gave up waiting for it.
     * On the servlet stack, first Spring's SseEmitter lost a failed first write (about 3 in 150 such watches),
     * then Tomcat lost about 1 in 1,500 requests whose write failed at the very end of their first dispatch.
     * Each run there hit that race a few times in 3,000 watches, so the loop is long enough to meet such a race.
     */
    @Test
    void watchReplaysToClientsThatLeaveAtOnceAllEnd() throws IOException {
        RosterHttp client = http.withToken(TOKEN);
        for (int i = 0; i < 5; i++) {
            assertThat(client.put("/v1/services/fuzz-replay/instances/i" + i, "{\"host\":\"h\",\"port\":80,\"ttlSeconds\":600}").status())
                    .isEqualTo(201);
        }
        int watchersBefore = hub.subscriberCount();
        RawHttp leaving = new RawHttp(port, Duration.ofSeconds(10));
        for (int i = 0; i < 2_000; i++) {
            String path = List.of("/v1/watch/services?revision=1", "/v1/watch/services/fuzz-replay?revision=1",
                    "/v1/watch/kv/fuzz/?prefix=true&revision=1").get(i % 3);
            Response response = leaving.exchange(HostileRequests.ascii("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + TOKEN + "\r\nConnection: close\r\n\r\n"), false); // reads the headers only
            assertThat(response.status()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(hub.subscriberCount()).as("watchers still subscribed after their clients left").isLessThanOrEqualTo(watchersBefore);
            assertThat(RequestsInProgress.count()).as("asynchronous requests graceful shutdown would wait for: %s", RequestsInProgress.stillInProgress())
                    .isZero();
        });
    }

    // ---------------------------------------------------------------- the checks

    private static List<String> check(Request request, Response response) {
        List<String> problems = new ArrayList<>();
        if (response.outcome() == Outcome.TIMEOUT) {
            problems.add("no answer within the 10 s read timeout");
            return problems;
        }
        if (response.outcome() == Outcome.NOT_HTTP) {
            // A request line without a version is HTTP/0.9, answered with a body alone: it must still be a problem.
            if (!isBareProblem(response.bodyText()) && !isPublic(requestTarget(request.bytes()))) {
                problems.add("the answer is neither an HTTP/1.x response nor an HTTP/0.9 problem");
            }
            return problems;
        }
        if (response.status() < 0) {
            return problems; // closed without a response: allowed for a request this broken
        }
        int status = response.status();
        String contentType = response.header("content-type");
        String body = response.bodyText();
        boolean head = request.method().equals("HEAD") && request.inputClass() != HostileRequests.InputClass.RAW_SOCKET;
        if (status >= 500) {
            problems.add("a 5xx answer");
        }
        if (status >= 400 && status < 500) {
            if (contentType == null || !contentType.startsWith("application/problem+json")) {
                problems.add("a " + status + " that is not application/problem+json but " + contentType);
            } else if (!head || !body.isEmpty()) {
                try {
                    JsonNode problem = JSON.readTree(body);
                    if (problem.get("detail") == null || problem.get("detail").asString().isBlank()) {
                        problems.add("a problem without a detail");
                    }
                } catch (RuntimeException e) {
                    problems.add("a problem body that is not JSON");
                }
            }
        }
        boolean checkLeaks = status >= 300 || contentType == null || contentType.contains("json");
        if (checkLeaks) {
            for (String leak : LEAKS) {
                if (body.contains(leak)) {
                    problems.add("the answer shows '" + leak.replace("\t", "\\t") + "'");
                }
            }
        }
        String target = requestTarget(request.bytes());
        if (request.auth() != Auth.VALID && !isPublic(target)) {
            if (status < 400) {
                problems.add("a " + status + " without the valid token on a path that is not public");
            } else if (!BEFORE_THE_TOKEN.contains(status) && !(status == 405 && request.method().equals("TRACE"))) {
                // (a TRACE is refused with 405, which says nothing about the path)
                problems.add("a " + status + " without the valid token: the request reached past the token check");
            }
        }
        return problems;
    }

    private static boolean isBareProblem(String body) {
        try {
            JsonNode problem = JSON.readTree(body);
            int status = problem.path("status").asInt(0);
            return status >= 400 && status < 500 && !problem.path("detail").asString("").isBlank()
                    && Arrays.stream(LEAKS).noneMatch(body::contains);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean isPublic(String target) {
        if (target == null) {
            return false;
        }
        if (target.startsWith("http://") || target.startsWith("https://")) {
            // the absolute form (RFC 9112 section 3.2.2), which a server must accept: its path is what counts
            int path = target.indexOf('/', target.indexOf("//") + 2);
            target = path < 0 ? "/" : target.substring(path);
        }
        if (PUBLIC.contains(target)) {
            return true;
        }
        for (String prefix : PUBLIC_PREFIXES) {
            if (target.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The path of the first request line, as sent (before any '?'), or null when there is none. */
    private static String requestTarget(byte[] bytes) {
        String text = new String(bytes, 0, Math.min(bytes.length, 70_000), StandardCharsets.ISO_8859_1).stripLeading();
        int lineEnd = text.indexOf('\n');
        String line = (lineEnd < 0 ? text : text.substring(0, lineEnd)).replace("\r", "");
        String[] parts = line.split("[ \t]+"); // a server may take a tab for a space in the request line
        if (parts.length < 2) {
            return null;
        }
        int query = parts[1].indexOf('?');
        return query < 0 ? parts[1] : parts[1].substring(0, query);
    }

    private static String describe(long seed, Request request, Response response, String problem) {
        String body = response.bodyText();
        return "seed " + seed + " request #" + request.index() + " [" + request.inputClass().label + ", token " + request.auth() + "]: "
                + problem + "\n    sent: " + RawHttp.escape(request.bytes(), 600).replace(TOKEN, "<token>")
                + "\n    got:  " + (response.status() < 0 ? response.outcome() + " " + RawHttp.escape(response.body(), 300)
                : response.status() + " " + response.header("content-type") + " " + RawHttp.escape(body.getBytes(StandardCharsets.UTF_8), 300));
    }

    // ---------------------------------------------------------------- seeded data

    private static Map<String, JsonNode> seedKeys(RosterHttp client) {
        Map<String, JsonNode> seeded = new LinkedHashMap<>();
        String[] values = {"postgres://db:5432/app", "h\u00e9llo w\u00f6rld \u2603 \uD83D\uDE00", "{\"nested\":[1,2,3]}"};
        for (int i = 0; i < SEEDED_KEYS.size(); i++) {
            Reply put = client.put("/v1/kv/" + SEEDED_KEYS.get(i), RosterHttp.json(Map.of("value", values[i])));
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
            seeded.put(SEEDED_KEYS.get(i), withoutRevision(client.get("/v1/kv/" + SEEDED_KEYS.get(i))));
        }
        return seeded;
    }

    private static Map<String, JsonNode> seedInstances(RosterHttp client) {
        Map<String, JsonNode> seeded = new LinkedHashMap<>();
        for (int i = 0; i < SEEDED_INSTANCES.size(); i++) {
            String instance = SEEDED_INSTANCES.get(i);
            Reply put = client.put("/v1/services/seeded/instances/" + instance, RosterHttp.json(Map.of("host", "10.9.0." + (i + 1),
                    "port", 8080 + i, "ttlSeconds", 3600, "zone", "z" + i, "weight", 50 + i, "metadata", Map.of("v", "1." + i))));
            assertThat(put.status()).as(put.toString()).isEqualTo(201);
        }
        for (String instance : SEEDED_INSTANCES) {
            // after a heartbeat, as the instances will be when the run ends
            assertThat(client.put("/v1/services/seeded/instances/" + instance + "/heartbeat", null).status()).isEqualTo(200);
            seeded.put(instance, withoutRevision(client.get("/v1/services/seeded/instances/" + instance)));
        }
        return seeded;
    }

    /** A read as JSON, without the store revision it reflects (which every fuzz write moves on). */
    private static JsonNode withoutRevision(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        ObjectNode node = (ObjectNode) reply.json();
        node.remove("revision");
        return node;
    }

    // ---------------------------------------------------------------- figures

    private static final class Stats {
        final LongAdder total = new LongAdder();
        final Map<String, LongAdder> byClass = new ConcurrentHashMap<>();
        final Map<String, LongAdder> byToken = new ConcurrentHashMap<>();
        final Map<String, LongAdder> byStatus = new ConcurrentHashMap<>();
        final Map<String, LongAdder> byClassStatus = new ConcurrentHashMap<>();

        void count(Request request, Response response) {
            total.increment();
            String status = response.status() >= 0 ? Integer.toString(response.status()) : response.outcome().name().toLowerCase();
            byClass.computeIfAbsent(request.inputClass().label, k -> new LongAdder()).increment();
            byToken.computeIfAbsent(request.auth().name().toLowerCase(), k -> new LongAdder()).increment();
            byStatus.computeIfAbsent(status, k -> new LongAdder()).increment();
            byClassStatus.computeIfAbsent(request.inputClass().label + " " + status, k -> new LongAdder()).increment();
        }

        String summary(long seed, Duration took, int violations) {
            double seconds = took.toMillis() / 1000.0;
            return String.format("HostileInputFuzzTest seed=%d: %d requests in %.1f s (%.0f requests/s), %d violations%n"
                            + "  by class:  %s%n  by token:  %s%n  by status: %s%n  by class and status: %s",
                    seed, total.sum(), seconds, total.sum() / Math.max(seconds, 0.001), violations, sorted(byClass), sorted(byToken),
                    sorted(byStatus), sorted(byClassStatus));
        }

        private static String sorted(Map<String, LongAdder> counts) {
            Map<String, Long> sorted = new TreeMap<>();
            counts.forEach((k, v) -> sorted.put(k, v.sum()));
            return sorted.toString();
        }
    }
}
