package io.roster.cloud.bench;

import io.roster.client.InstanceSpec;
import io.roster.client.InstanceSnapshot;
import io.roster.client.RegistryEvent;
import io.roster.client.RosterClient;
import io.roster.client.Watch;
import io.roster.client.WatchListener;
import io.roster.cloud.RosterProperties;
import io.roster.cloud.discovery.InstanceCache;
import io.roster.cloud.discovery.RegistryWatch;
import io.roster.cloud.discovery.RosterDiscoveryClient;
import io.roster.cloud.serviceregistry.RosterRegistration;
import io.roster.cloud.serviceregistry.RosterServiceRegistry;
import io.roster.testkit.RosterCluster;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;

/**
 * The starter's figures against a real three-member cluster (clients/bench/starter-bench.sh runs it):
 * lookups from the cache, change propagation to a HeartbeatEvent, the heartbeat thread's CPU, and many
 * registrations held by one scheduler with no false expiry. Not a test: it measures, and prints.
 */
public final class StarterBench {

    private StarterBench() {
    }

    public static void main(String[] args) throws Exception {
        int instances = Integer.getInteger("bench.instances", 1000);
        Duration soak = Duration.parse(System.getProperty("bench.soak", "PT5M"));
        Duration ttl = Duration.parse(System.getProperty("bench.ttl", "PT30S"));
        try (RosterCluster cluster = RosterCluster.builder().members(3).start();
             RosterClient client = RosterClient.builder().endpoints(cluster.endpoints()).build()) {
            List<URI> endpoints = cluster.endpoints().stream().map(URI::create).toList();
            RosterProperties connection = new RosterProperties(endpoints, null, false);
            lookups(client, connection);
            propagation(client, connection);
            heldRegistrations(client, endpoints, instances, ttl, soak);
        }
    }

    /** getInstances from a cache that a real watch filled: 20 services of 10 instances. */
    private static void lookups(RosterClient client, RosterProperties connection) throws InterruptedException {
        for (int s = 0; s < 20; s++) {
            for (int i = 0; i < 10; i++) {
                client.register("svc-" + s, "svc-" + s + "-" + i, InstanceSpec.of("10.0.0." + i, 8080).withTtlSeconds(600));
            }
        }
        InstanceCache cache = new InstanceCache(event -> { });
        RegistryWatch watch = new RegistryWatch(client, connection, cache);
        watch.start();
        // The watch has delivered every registration before anything is measured.
        await().atMost(Duration.ofSeconds(60)).until(() -> cache.allInstances("svc-19").size() >= 10);
        RosterDiscoveryClient discovery = new RosterDiscoveryClient(cache);
        String[] names = new String[20];
        Arrays.setAll(names, s -> "svc-" + s);
        long[] samples = new long[1_000_000];
        long sink = 0;
        for (int round = 0; round < 3; round++) { // the first two warm the JIT up
            for (int i = 0; i < samples.length; i++) {
                String name = names[i % names.length];
                long start = System.nanoTime();
                sink += discovery.getInstances(name).size();
                samples[i] = System.nanoTime() - start;
            }
        }
        watch.stop();
        Arrays.sort(samples);
        System.out.printf("getInstances from the cache (%d calls, 10 instances each): p50 %.3f us, p99 %.3f us, p99.9 %.3f us (checksum %d)%n",
                samples.length, micros(samples, 0.50), micros(samples, 0.99), micros(samples, 0.999), sink);
    }

    /** From sending a registry write to the HeartbeatEvent the cache publishes for it. */
    private static void propagation(RosterClient client, RosterProperties connection) throws InterruptedException {
        // Every event, stamped when published: the event may come before the write's own answer does.
        BlockingQueue<long[]> published = new LinkedBlockingQueue<>();
        InstanceCache cache = new InstanceCache(event -> {
            if (event instanceof HeartbeatEvent heartbeat) {
                published.add(new long[]{(Long) heartbeat.getValue(), System.nanoTime()});
            }
        });
        RegistryWatch watch = new RegistryWatch(client, connection, cache);
        watch.start();
        int changes = 300;
        long[] fromSend = new long[changes];
        long[] fromAnswer = new long[changes];
        for (int i = -50; i < changes; i++) { // the first 50 warm up
            published.clear();
            long sent = System.nanoTime();
            long revision = client.register("propagation", "p-1", InstanceSpec.of("10.0.0.1", 8000 + (i & 1023))
                    .withTtlSeconds(600)).revision();
            long answered = System.nanoTime();
            long arrived = -1;
            while (arrived < 0) {
                long[] event = published.poll(5, TimeUnit.SECONDS);
                if (event == null) {
                    throw new IllegalStateException("no HeartbeatEvent for revision " + revision + " within 5 s");
                }
                if (event[0] >= revision) {
                    arrived = event[1];
                }
            }
            if (i >= 0) {
                fromSend[i] = arrived - sent;
                fromAnswer[i] = Math.max(0, arrived - answered);
            }
        }
        watch.stop();
        Arrays.sort(fromSend);
        Arrays.sort(fromAnswer);
        System.out.printf("registry change -> HeartbeatEvent (%d changes, 3 members, loopback): from sending the write p50 %.2f ms,"
                        + " p99 %.2f ms; from its answer p50 %.2f ms, p99 %.2f ms%n", changes, millis(fromSend, 0.5),
                millis(fromSend, 0.99), millis(fromAnswer, 0.5), millis(fromAnswer, 0.99));
    }

    /**
     * {@code count} registrations on one RosterServiceRegistry (one scheduler thread) for {@code soak}: how many
     * expired, and the scheduler thread's CPU per registration and minute.
     */
    private static void heldRegistrations(RosterClient client, List<URI> endpoints, int count, Duration ttl,
                                          Duration soak) throws InterruptedException {
        AtomicLong expiries = new AtomicLong();
        Watch expiryWatch = client.watchServices(-1, new WatchListener<RegistryEvent, InstanceSnapshot>() {
            @Override
            public void onEvent(RegistryEvent event) {
                if (event.service().startsWith("soak") && "expired".equals(event.reason())) {
                    expiries.incrementAndGet();
                }
            }

            @Override
            public void onRelist(InstanceSnapshot snapshot) {
            }
        });
        AtomicReference<Thread> schedulerThread = new AtomicReference<>();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "roster-heartbeat");
            thread.setDaemon(true);
            schedulerThread.set(thread);
            return thread;
        });
        RosterServiceRegistry registry = new RosterServiceRegistry(client, scheduler, endpoints, true);
        List<RosterRegistration> registrations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RosterRegistration registration = new RosterRegistration("soak-" + (i % 10), "soak-" + i, "10.1." + (i / 250) + "." + (i % 250),
                    8080, false, null, Map.of(), ttl);
            registry.register(registration);
            registrations.add(registration);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long heartbeatThread = schedulerThread.get().getId();
        // The registrations' first round of heartbeats warms the JIT up before the CPU count starts.
        Thread.sleep(ttl.toMillis());
        long cpuBefore = threads.getThreadCpuTime(heartbeatThread);
        long started = System.nanoTime();
        long deadline = started + soak.toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000); // the soak's length is the measurement itself
        }
        double minutes = (System.nanoTime() - started) / 60e9;
        long cpu = threads.getThreadCpuTime(heartbeatThread) - cpuBefore;
        long held = registrations.stream().filter(registry::isRegistered).count();
        registry.close();
        scheduler.shutdownNow();
        expiryWatch.close();
        System.out.printf("%d registrations, TTL %ds, one scheduler thread, %.1f min: %d expired (false expiries), %d of %d held;"
                        + " heartbeat thread CPU %.1f ms/min in all, %.3f ms/min per registration%n",
                count, ttl.toSeconds(), minutes, expiries.get(), held, count, cpu / 1e6 / minutes, cpu / 1e6 / minutes / count);
    }

    private static double micros(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e3;
    }

    private static double millis(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e6;
    }
}
