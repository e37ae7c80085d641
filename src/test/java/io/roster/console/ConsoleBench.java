package io.roster.console;

import io.roster.testing.ConsoleBrowser;
import io.roster.testing.ProcessCluster;
import io.roster.testing.RosterHttp;
import io.roster.testing.RosterProcess;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * Measures the console with a large service (docs/console.md; run by bench/console.sh, never by the test
 * suites): a one-member cluster from the built jar, {@code INSTANCES} instances of one service, and a
 * headless Chromium that, for the service view and then the services overview,
 * <ol>
 *   <li>opens the view {@code LOADS} times and reports the time from navigation start until all
 *       instances are counted and drawn (median and worst);</li>
 *   <li>stays open while {@code CHANGES_PER_SECOND} status changes hit that service for {@code SECONDS},
 *       and reports the longest long task (PerformanceObserver 'longtask') and whether the page kept up.</li>
 * </ol>
 * Settings are system properties: {@code bench.instances} (10000), {@code bench.loads} (5),
 * {@code bench.rate} (100), {@code bench.seconds} (20).
 */
public final class ConsoleBench {

    private static final String SERVICE = "bench";

    /**
     * Injected before the page's own scripts: records long tasks and the moment the view is drawn, which is
     * when the JavaScript condition given is first true.
     */
    private static final String PROBE = """
            window.benchLongTasks = [];
            new PerformanceObserver(list => { for (const entry of list.getEntries()) window.benchLongTasks.push(entry.duration); })
                .observe({ type: 'longtask', buffered: true });
            const watchDrawn = new MutationObserver(() => {
              if (%s) {
                window.benchFirstRender = performance.now();
                watchDrawn.disconnect();
              }
            });
            document.addEventListener('DOMContentLoaded', () => watchDrawn.observe(document.body, { subtree: true, childList: true, characterData: true }));
            """;

    /** The service view: every instance counted and the first rows drawn. */
    private static final String SERVICE_DRAWN = """
            document.getElementById('count-total')?.textContent === '%d' && document.querySelector('#instances-table tr[data-instance]')""";

    /** The services overview: the bench service's row counts every instance. */
    private static final String OVERVIEW_DRAWN = """
            document.querySelector('#services-table tr[data-service="%s"] .total')?.textContent === '%d'""";

    private ConsoleBench() {
    }

    public static void main(String[] args) throws Exception {
        int instances = Integer.getInteger("bench.instances", 10_000);
        int loads = Integer.getInteger("bench.loads", 5);
        int rate = Integer.getInteger("bench.rate", 100);
        int seconds = Integer.getInteger("bench.seconds", 20);
        Path logs = Files.createTempDirectory("roster-console-bench");
        try (ProcessCluster cluster = ProcessCluster.builder().members(1).logDir(logs).build();
             ConsoleBrowser browser = ConsoleBrowser.open()) {
            cluster.start().awaitReady(Duration.ofSeconds(120));
            RosterProcess node = cluster.members().get(0);
            long registering = System.nanoTime();
            register(node.baseUrl(), instances);
            System.out.printf("registered %d instances of '%s' in %.1f s%n", instances, SERVICE, seconds(registering));

            String serviceView = node.baseUrl() + "/ui/#/services/" + SERVICE;
            firstRenders(browser, "the service view", serviceView, SERVICE_DRAWN.formatted(instances), instances, loads);
            await().atMost(Duration.ofSeconds(30)).until(() -> "Live: changes appear as they happen.".equals(browser.text("#service-live")));
            underChurn(browser, node, "the service view", instances, rate, seconds,
                    revision -> Long.parseLong(browser.text("#count-revision")) >= revision);

            // The overview counts every service's instances from one lookup per service, and follows the
            // watch of all services: the same 10,000 instances, counted instead of listed.
            String overview = node.baseUrl() + "/ui/#/services";
            String overviewDrawn = OVERVIEW_DRAWN.formatted(SERVICE, instances);
            firstRenders(browser, "the services overview", overview, overviewDrawn, instances, loads);
            await().atMost(Duration.ofSeconds(30)).until(() -> "Live: changes appear as they happen.".equals(browser.text("#services-live")));
            // A flip to OUT_OF_SERVICE lowers the UP count; the page keeps up when, after the load, the UP
            // count is what the server says.
            underChurn(browser, node, "the services overview", instances, rate, seconds,
                    revision -> browser.text("#services-table tr[data-service=\"" + SERVICE + "\"] .up").equals(String.valueOf(upCount(node))));
        }
    }

    /** Opens the view {@code loads} times and prints the time from navigation start until {@code drawn} holds. */
    private static void firstRenders(ConsoleBrowser browser, String view, String url, String drawn, int instances, int loads) {
        Object probe = browser.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", PROBE.formatted(drawn)))
                .get("identifier");
        List<Double> renders = new ArrayList<>();
        for (int load = 0; load < loads; load++) {
            browser.get("about:blank");
            browser.get(url);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> browser.script("return window.benchFirstRender") != null);
            renders.add(((Number) browser.script("return window.benchFirstRender")).doubleValue());
        }
        // The next view's probe replaces this one: both would declare the same names in the page.
        browser.driver().executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", probe));
        List<Double> sorted = renders.stream().sorted().toList();
        System.out.printf("%s, first render of %d instances (navigation start to counted and drawn), %d loads: median %.0f ms, worst %.0f ms, all %s%n",
                view, instances, loads, sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1),
                renders.stream().map(value -> String.format("%.0f", value)).toList());
    }

    /** Status flips at {@code rate} a second for {@code seconds} while the view is open; prints its longest long task. */
    private static void underChurn(ConsoleBrowser browser, RosterProcess node, String view, int instances, int rate, int seconds,
                                   java.util.function.LongPredicate caughtUp) throws Exception {
        browser.script("window.benchLongTasks = []");
        long lastRevision = churn(node.baseUrl(), instances, rate, seconds);
        await().atMost(Duration.ofSeconds(30)).until(() -> caughtUp.test(lastRevision));
        @SuppressWarnings("unchecked")
        List<Number> longTasks = (List<Number>) browser.script("return window.benchLongTasks");
        double longest = longTasks.stream().mapToDouble(Number::doubleValue).max().orElse(0);
        System.out.printf("%s, %d changes/s for %d s: %d long tasks (over 50 ms), the longest %.0f ms; the page reached the last revision %d%n",
                view, rate, seconds, longTasks.size(), longest, lastRevision);
    }

    /** How many of the bench service's instances the member reports UP. */
    private static long upCount(RosterProcess node) {
        return node.client().get("/v1/services/" + SERVICE + "/instances?status=UP").json().path("instances").size();
    }

    /** PUTs the instances, 32 at a time, with a TTL long enough to need no heartbeat during the run. */
    private static void register(String baseUrl, int count) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Semaphore inFlight = new Semaphore(32);
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String body = RosterHttp.json(Map.of("host", "10.%d.%d.%d".formatted(i >> 16, (i >> 8) & 255, i & 255), "port", 8080,
                    "ttlSeconds", 3600, "zone", "zone-" + (i % 3), "metadata", Map.of("version", "1." + (i % 7), "build", "b" + i)));
            inFlight.acquire();
            sent.add(client.sendAsync(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/services/" + SERVICE + "/instances/i-" + i))
                            .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                inFlight.release();
                if (failure != null || response.statusCode() >= 300) {
                    throw new IllegalStateException("registration failed: " + (failure != null ? failure : response.statusCode()));
                }
            }));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    }

    /** PATCHes a status flip onto `rate` instances a second for `seconds`; answers the last revision written. */
    private static long churn(String baseUrl, int instances, int rate, int seconds) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<HttpResponse<String>>> answers = java.util.Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long periodMicros = 1_000_000L / rate;
        ticker.scheduleAtFixedRate(() -> {
            int n = sent.getAndIncrement();
            String status = (n / instances) % 2 == 0 ? "OUT_OF_SERVICE" : "UP";
            answers.add(client.sendAsync(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/services/" + SERVICE + "/instances/i-" + (n * 7919 % instances)))
                    .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"status\":\"" + status + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                if (failure != null || response.statusCode() != 200) {
                    failed.incrementAndGet();
                }
            }));
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        // Shutting down cancels the periodic sender: the load ends after its duration.
        ticker.schedule(ticker::shutdown, seconds, TimeUnit.SECONDS);
        if (!ticker.awaitTermination(seconds + 30L, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the load did not stop after " + seconds + " s");
        }
        long last = 0;
        for (CompletableFuture<HttpResponse<String>> answer : List.copyOf(answers)) {
            HttpResponse<String> response = answer.exceptionally(failure -> null).join();
            if (response != null && response.statusCode() == 200) {
                last = Math.max(last, response.headers().firstValueAsLong("X-Roster-Revision").orElse(0));
            }
        }
        System.out.printf("sent %d status changes in %d s (%d failed)%n", sent.get(), seconds, failed.get());
        return last;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
