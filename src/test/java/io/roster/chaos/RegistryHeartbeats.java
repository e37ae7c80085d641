package io.roster.chaos;

import io.roster.testing.RosterHttp;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Service instances that keep their heartbeat schedule through the faults, as a service's client would: one
 * heartbeat a second to any member, another member at once when one does not answer. An instance whose last
 * acknowledged heartbeat was sent less than a TTL before a heartbeat that finds it gone was expired while it
 * kept its schedule: a false expiry, which is what a failover must never cause. An instance that went a
 * whole TTL without an acknowledged heartbeat (the cluster was unavailable that long) may expire; it is
 * registered again.
 */
final class RegistryHeartbeats implements AutoCloseable {

    static final String SERVICE = "chaos-svc";
    static final Duration TTL = Duration.ofSeconds(10);
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(1500);
    /** Between the test's clock and the members' (the same machine): how early an expiry may look. */
    private static final Duration CLOCK_MARGIN = Duration.ofMillis(500);

    private final Supplier<List<String>> endpoints;
    private final UnaryOperator<String> memberAt;
    private final long startNanos;
    private final List<Thread> threads = new ArrayList<>();
    private final List<String> falseExpiries = new CopyOnWriteArrayList<>();
    private final List<String> anomalies = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> expiriesAfterSilence = new LinkedHashMap<>();
    private volatile boolean stopping;

    /** @param memberAt the name of the member an endpoint leads to, for messages */
    RegistryHeartbeats(Supplier<List<String>> endpoints, UnaryOperator<String> memberAt, long startNanos) {
        this.endpoints = endpoints;
        this.memberAt = memberAt;
        this.startNanos = startNanos;
    }

    /** Registers the instances (through any member, retried until it answers) and starts their heartbeats. */
    RegistryHeartbeats start(int instances, long seed) {
        for (int i = 0; i < instances; i++) {
            String id = "i" + i;
            Random random = new Random(seed * 17 + i);
            Thread thread = new Thread(() -> keepAlive(id, random), "chaos-heartbeat-" + id);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        return this;
    }

    List<String> falseExpiries() {
        return List.copyOf(falseExpiries);
    }

    List<String> anomalies() {
        return List.copyOf(anomalies);
    }

    /** Instances that expired after going a whole TTL without an acknowledged heartbeat, by id. */
    synchronized Map<String, Integer> expiriesAfterSilence() {
        return Map.copyOf(expiriesAfterSilence);
    }

    private void keepAlive(String id, Random random) {
        long lastAckedSentAt = register(id, random);
        while (!stopping) {
            long nextAt = System.nanoTime() + INTERVAL.toNanos();
            long sentAt = System.nanoTime();
            Answer answer = send(random, "PUT", path(id) + "/heartbeat", null);
            Integer status = answer == null ? null : answer.status();
            if (status != null && status == 200) {
                lastAckedSentAt = sentAt;
            } else if (status != null && status == 404) {
                long silentNanos = sentAt - lastAckedSentAt;
                if (silentNanos < TTL.minus(CLOCK_MARGIN).toNanos()) {
                    falseExpiries.add(String.format("%s was gone at %.3f s, %d ms after its last acknowledged heartbeat was sent"
                            + " (TTL %d s), said %s (%s)", id, seconds(sentAt), silentNanos / 1_000_000, TTL.toSeconds(), answer.member(),
                            memberAt.apply(answer.member())));
                } else {
                    synchronized (this) {
                        expiriesAfterSilence.merge(id, 1, Integer::sum);
                    }
                }
                lastAckedSentAt = register(id, random);
            }
            Pacing.pauseUntil(nextAt);
        }
    }

    private long register(String id, Random random) {
        Map<String, Object> body = Map.of("host", "10.0.0.1", "port", 8080, "ttlSeconds", TTL.toSeconds());
        while (!stopping) {
            long sentAt = System.nanoTime();
            Answer answer = send(random, "PUT", path(id), body);
            if (answer != null && (answer.status() == 200 || answer.status() == 201)) {
                return sentAt;
            }
            Pacing.pauseUntil(System.nanoTime() + INTERVAL.toNanos() / 4);
        }
        return System.nanoTime();
    }

    /** A member's answer: its status, and the member (its URL) that gave it. */
    private record Answer(int status, String member) {
    }

    /** The answer of the first member that answers other than 503 or 410 (removed), trying each once; null when none did. */
    private Answer send(Random random, String method, String path, Object body) {
        List<String> urls = new ArrayList<>(endpoints.get());
        java.util.Collections.shuffle(urls, random);
        for (String url : urls) {
            try {
                RosterHttp.Reply response = new RosterHttp(url).withTimeout(REQUEST_TIMEOUT).request(method, path, body);
                if (response.status() != 503 && response.status() != 410) {
                    if (response.status() >= 400 && response.status() != 404) {
                        anomalies.add(method + " " + path + " via " + url + " answered " + response);
                    }
                    return new Answer(response.status(), url);
                }
            } catch (UncheckedIOException unanswered) {
                // try the next member
            }
        }
        return null;
    }

    private static String path(String id) {
        return "/v1/services/" + SERVICE + "/instances/" + id;
    }

    private double seconds(long nanos) {
        return (nanos - startNanos) / 1e9;
    }

    @Override
    public void close() {
        stopping = true;
        for (Thread thread : threads) {
            try {
                thread.join(TTL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
