package io.roster.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load of the training run that produces the JVM's class-data archive or AOT cache
 * ({@code scripts/train-cache.sh}): what a member serves in production, so that the classes it loads and
 * (JDK 25) the methods it profiles are the ones a restarted member needs. Key-value writes and reads
 * (linearizable and serializable), registrations, heartbeats, lookups, leases, status, health and the
 * Prometheus scrape, from several client threads spread over the members given; half-way through,
 * leadership moves to or away from the first member, so that it runs both the leader's and a follower's
 * code. Only the JDK (no Spring): it runs in the container image, which has no curl or wrk.
 *
 * <pre>java -cp roster.jar io.roster.cli.TrainingLoad SECONDS http://127.0.0.1:2379 [http://… …]</pre>
 *
 * Prints one line with the number of requests and of non-2xx answers; exits 1 when no request succeeded.
 */
public final class TrainingLoad {

    private static final Pattern MEMBER_ID = Pattern.compile("\"memberId\"\\s*:\\s*\"?([^\",}]+)");
    private static final Pattern LEADER = Pattern.compile("\"leader\"\\s*:\\s*\"?([^\",}]+)");
    private static final Pattern LEASE_ID = Pattern.compile("\"id\"\\s*:\\s*\"?([^\",}]+)");
    private static final String JSON = "application/json";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> members;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    private TrainingLoad(List<String> members) {
        this.members = members;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: TrainingLoad SECONDS BASE_URL...");
            System.exit(2);
        }
        long seconds = Long.parseLong(args[0]);
        List<String> members = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            members.add(args[i].replaceAll("/+$", ""));
        }
        TrainingLoad load = new TrainingLoad(members);
        load.run(seconds);
        System.out.println("training load: " + load.requests.get() + " requests, " + load.failures.get() + " not 2xx");
        System.exit(load.requests.get() > load.failures.get() ? 0 : 1);
    }

    private void run(long seconds) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        int threads = Math.max(4, 2 * members.size());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            int worker = t;
            pool.execute(() -> work(worker, end));
        }
        if (members.size() > 1) {
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()) / 2));
            moveLeadership();
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 60, TimeUnit.SECONDS);
    }

    private void work(int worker, long end) {
        String base = members.get(worker % members.size());
        String service = "train-svc-" + (worker % 4);
        String value = "{\"value\":\"" + "v".repeat(200) + "\"}";
        long n = 0;
        while (System.nanoTime() < end) {
            String key = "train/key-" + worker + "-" + (n % 500);
            String instance = "i-" + worker + "-" + (n % 50);
            call("PUT", base + "/v1/kv/" + key, value);
            call("GET", base + "/v1/kv/" + key, null);
            call("GET", base + "/v1/kv/" + key + "?consistency=serializable", null);
            if (n < 50) {
                call("PUT", base + "/v1/services/" + service + "/instances/" + instance,
                        "{\"host\":\"10.0.0." + (n % 250 + 1) + "\",\"port\":8080,\"ttlSeconds\":300,\"zone\":\"z1\","
                                + "\"metadata\":{\"version\":\"1\"}}");
            }
            call("PUT", base + "/v1/services/" + service + "/instances/" + instance + "/heartbeat", null);
            call("PUT", base + "/v1/services/" + service + "/instances/" + instance + "/heartbeat", null);
            call("GET", base + "/v1/services/" + service + "/instances", null);
            call("GET", base + "/v1/services/" + service + "/instances?status=UP&zone=z1&consistency=serializable", null);
            if (n % 10 == 0) {
                call("GET", base + "/v1/services", null);
                call("GET", base + "/v1/status", null);
                call("GET", base + "/actuator/health/readiness", null);
                call("GET", base + "/v1/kv/train/missing-" + n, null);
                String lease = call("POST", base + "/v1/leases", "{\"ttlSeconds\":60}");
                Matcher id = LEASE_ID.matcher(lease == null ? "" : lease);
                if (id.find()) {
                    call("PUT", base + "/v1/leases/" + id.group(1) + "/keepalive", null);
                    call("DELETE", base + "/v1/leases/" + id.group(1), null);
                }
                call("DELETE", base + "/v1/kv/" + key, null);
            }
            if (n % 100 == 0) {
                call("GET", base + "/actuator/prometheus", null);
            }
            n++;
        }
    }

    /** Moves leadership away from the first member if it leads, else to it. Best effort. */
    private void moveLeadership() {
        String status = call("GET", members.get(0) + "/v1/status", null);
        if (status == null) {
            return;
        }
        Matcher self = MEMBER_ID.matcher(status);
        Matcher leader = LEADER.matcher(status);
        if (!self.find() || !leader.find()) {
            return;
        }
        String target = self.group(1);
        if (target.equals(leader.group(1))) {
            String other = call("GET", members.get(1) + "/v1/status", null);
            Matcher otherId = MEMBER_ID.matcher(other == null ? "" : other);
            if (!otherId.find()) {
                return;
            }
            target = otherId.group(1);
        }
        call("POST", members.get(0) + "/v1/members/" + target + "/transfer-leadership", null);
    }

    /** The body of a 2xx answer, else null (counted as a failure). */
    private String call(String method, String url, String body) {
        requests.incrementAndGet();
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
            if (body != null) {
                request.header("Content-Type", JSON).method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                return response.body();
            }
        } catch (IOException e) {
            // counted below; the member may be changing leaders
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failures.incrementAndGet();
        return null;
    }
}
