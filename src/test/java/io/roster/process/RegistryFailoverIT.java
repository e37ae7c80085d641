package io.roster.process;

import io.roster.testing.ProcessCluster;
import io.roster.testing.RosterHttp;
import io.roster.testing.RosterProcess;
import io.roster.testing.EventStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.roster.process.RegistryRequests.millisSince;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The built jar as three OS processes: 50 instances heartbeat through every member while the leader is
 * killed with SIGKILL, and for the 30 s after the kill none of them is expired: no heartbeat is answered 404,
 * no watcher on a survivor is told of a DELETE, and both survivors list all 50 on every lookup.
 *
 * <p>Why a TTL of 5 s: long enough that a correct cluster never expires a heartbeating instance (heartbeats
 * every TTL/3, so two can be lost in a row; the cluster is without a leader for about one to three election
 * timeouts of 1 s, and a new leader restarts every countdown at the full TTL plus an election timeout), short
 * enough that a wrong one would be caught inside the 30 s window several times over: a new leader that
 * ignored renewals, or counted from the registration or from the old leader's deadlines, would expire
 * instances within TTL + 1 s = 6 s of taking over.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RegistryFailoverIT {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryFailoverIT.class);

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration ELECTION_TIMEOUT = Duration.ofMillis(1000);
    private static final String SERVICE = "checkout";
    private static final int INSTANCES = 50;
    private static final long TTL_SECONDS = 5;
    private static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(TTL_SECONDS * 1000 / 3);
    /** A heartbeat request that takes longer is abandoned and sent to another member, as a client with several endpoints would. */
    private static final Duration HEARTBEAT_REQUEST_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration WINDOW = Duration.ofSeconds(30);
    private static final Duration LOOKUP_INTERVAL = Duration.ofSeconds(2);

    @Test
    void heartbeatingInstancesSurviveKillingTheLeader(TestInfo test) throws Exception {
        List<String> ids = IntStream.range(0, INSTANCES).mapToObj(i -> String.format("checkout-%02d", i)).toList();
        try (ProcessCluster cluster = ProcessCluster.builder()
                .members(3)
                .electionTimeout(ELECTION_TIMEOUT)
                .logDir(RosterProcess.logDirFor(getClass(), test.getTestMethod().orElseThrow().getName()))
                .build()) {
            cluster.start().awaitReady(START_TIMEOUT);
            RosterProcess leader = cluster.leader();
            List<RosterProcess> survivors = cluster.followers();
            List<RosterProcess> members = cluster.members();

            // One watcher per member, all connected before anything is registered.
            Map<String, List<EventStream>> watches = new LinkedHashMap<>();
            for (RosterProcess member : members) {
                EventStream watch = RegistryRequests.watch(member, SERVICE, null);
                assertThat(watch.status()).as("watch on %s: %s", member.name(), watch.errorBody()).isEqualTo(200);
                watches.put(member.name(), new ArrayList<>(List.of(watch)));
            }
            Heartbeater heartbeater = new Heartbeater(cluster, ids);
            // One poller per survivor and consistency, so that a linearizable lookup waiting for a leader delays no other.
            ScheduledExecutorService lookups = Executors.newScheduledThreadPool(4, daemon("it-lookup"));
            try {
                // Registered through every member in turn, each heartbeating from its registration on: on a loaded
                // machine, registering them all can take longer than a TTL.
                for (int i = 0; i < INSTANCES; i++) {
                    RosterProcess via = members.get(i % members.size());
                    RosterHttp.Reply registered = RegistryRequests.register(via.client(), SERVICE, ids.get(i), TTL_SECONDS,
                            9000 + i);
                    assertThat(registered.status()).as("registration of %s via %s: %s", ids.get(i), via.name(), registered)
                            .isEqualTo(201);
                    heartbeater.start(ids.get(i), HEARTBEAT_INTERVAL.toMillis() * i / INSTANCES);
                }
                for (RosterProcess member : members) {
                    EventStream watch = watches.get(member.name()).get(0);
                    await("the watcher on " + member.name() + " saw the " + INSTANCES + " registrations")
                            .atMost(Duration.ofSeconds(10)).until(() -> watch.events().size() >= INSTANCES);
                }
                // A full TTL of steady heartbeats first: every instance renewed at least twice, through every member.
                long heartbeatsFrom = System.nanoTime();
                await("two heartbeats per instance, through every member").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(heartbeater.notFound()).as("heartbeats that found their instance gone").isEmpty();
                    assertThat(heartbeater.minSuccessesPerInstance()).isGreaterThanOrEqualTo(2);
                    assertThat(heartbeater.successesVia()).containsAll(names(members));
                    assertThat(System.nanoTime() - heartbeatsFrom).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(TTL_SECONDS));
                });
                assertThat(heartbeater.problems()).as("heartbeat problems before the kill").isEmpty();

                // ---- kill -9 the leader ----
                long killedAt = System.nanoTime();
                assertThat(leader.kill9()).as("exit code of %s after SIGKILL", leader).isEqualTo(137);
                long windowEnd = killedAt + WINDOW.toNanos();
                LookupLog lookupLog = new LookupLog(survivors, ids, killedAt);
                for (RosterProcess survivor : survivors) {
                    for (String consistency : List.of(RosterHttp.SERIALIZABLE, RosterHttp.LINEARIZABLE)) {
                        lookups.scheduleAtFixedRate(() -> lookupLog.poll(survivor, consistency), 0, LOOKUP_INTERVAL.toMillis(),
                                TimeUnit.MILLISECONDS);
                    }
                }

                AtomicLong leaderSeenAt = new AtomicLong();
                RosterProcess[] newLeader = new RosterProcess[1];
                await("a new leader among " + names(survivors)).atMost(Duration.ofSeconds(20))
                        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                        .until(() -> cluster.agreedLeader().map(agreed -> {
                            newLeader[0] = agreed;
                            leaderSeenAt.set(System.nanoTime());
                            return true;
                        }).orElse(false));
                assertThat(newLeader[0]).isIn(survivors);
                long leaderless = millisSince(killedAt, leaderSeenAt.get());

                // The watcher of the killed member resumes on a survivor from the last revision it saw.
                EventStream orphan = watches.get(leader.name()).get(0);
                await("the watch on the killed " + leader.name() + " ended").atMost(Duration.ofSeconds(10)).until(orphan::ended);
                long lastSeen = orphan.events().isEmpty() ? 0 : orphan.events().get(orphan.events().size() - 1).revision();
                RosterProcess resumeOn = survivors.get(0);
                EventStream resumed = RegistryRequests.watch(resumeOn, SERVICE, lastSeen);
                assertThat(resumed.status()).as("resumed watch on %s after revision %d: %s", resumeOn.name(), lastSeen,
                        resumed.errorBody()).isEqualTo(200);
                watches.get(leader.name()).add(resumed);

                await("the " + WINDOW.toSeconds() + " s after the kill").atMost(WINDOW.plusSeconds(10))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> System.nanoTime() - windowEnd >= 0);
                lookups.shutdown();
                assertThat(lookups.awaitTermination(15, TimeUnit.SECONDS)).as("lookup poller stopped").isTrue();
                assertThat(heartbeater.stop(Duration.ofSeconds(15))).as("heartbeats stopped").isTrue();

                Heartbeater.Outage outage = heartbeater.outageAfter(killedAt);
                log("leader %s killed; survivors agreed on new leader %s after %d ms (status polled every 50 ms)",
                        leader.name(), newLeader[0].name(), leaderless);
                log("heartbeats: %d renewed, %d answers 503 and %d connection errors or timeouts (each retried on the next"
                                + " member), %d gave up;"
                                + " after the kill no heartbeat was renewed for %d ms; longest gap between renewals of one instance"
                                + " after the kill: %d ms (%s)",
                        heartbeater.successes(), heartbeater.unavailable(), heartbeater.connectionErrors(), heartbeater.gaveUp(),
                        outage.noRenewalsMillis(), outage.longestGapMillis(), outage.longestGapInstance());
                log("heartbeat connection errors and timeouts: %s", heartbeater.connectionErrorKinds());
                Map<String, Long> gaps = new TreeMap<>();
                for (RosterProcess survivor : survivors) {
                    for (String consistency : List.of(RosterHttp.SERIALIZABLE, RosterHttp.LINEARIZABLE)) {
                        gaps.put(survivor.name() + "/" + consistency, lookupLog.longestGapMillis(survivor.name(), consistency, windowEnd));
                    }
                }
                log("lookups on %s: %d serializable and %d linearizable answered with all %d, %d linearizable 503s;"
                                + " longest ms without a complete answer: %s",
                        names(survivors), lookupLog.complete(RosterHttp.SERIALIZABLE), lookupLog.complete(RosterHttp.LINEARIZABLE),
                        INSTANCES, lookupLog.unavailable(), gaps);

                // (a) No heartbeat was ever told its instance is gone.
                assertThat(heartbeater.notFound()).as("heartbeats answered 404").isEmpty();
                assertThat(heartbeater.problems()).as("heartbeat answers other than 200, 503 or a connection error").isEmpty();
                // A heartbeat that no member renewed within a TTL of retrying means the scenario did not hold: the
                // cluster was unavailable for longer than a TTL (see the time without a leader above).
                assertThat(heartbeater.gaveUp()).as("heartbeats that no member renewed within a TTL of retrying").isZero();
                assertThat(heartbeater.successesVia()).as("members that renewed heartbeats").containsAll(names(survivors));

                // (b) No watcher on a survivor, nor the resumed one, was told of a DELETE; each saw the 50 registrations once.
                for (Map.Entry<String, List<EventStream>> entry : watches.entrySet()) {
                    List<EventStream.Event> events = entry.getValue().stream().flatMap(watch -> watch.events().stream()).toList();
                    List<String> deletes = events.stream().filter(event -> !"PUT".equals(type(event)))
                            .map(RegistryFailoverIT::summary).toList();
                    assertThat(deletes).as("DELETE events for the watcher first on %s", entry.getKey()).isEmpty();
                    assertThat(events.stream().map(event -> event.data().path("instanceId").asString("")).toList())
                            .as("instances the watcher first on %s was told of", entry.getKey())
                            .containsExactlyInAnyOrderElementsOf(ids);
                    assertThat(events.stream().map(event -> event.data().path("reason").asString("")).collect(Collectors.toSet()))
                            .containsExactly("registered");
                }
                for (RosterProcess survivor : survivors) {
                    assertThat(watches.get(survivor.name()).get(0).ended()).as("watch on survivor %s still open", survivor.name())
                            .isFalse();
                }
                assertThat(resumed.ended()).as("resumed watch still open").isFalse();

                // (c) Both survivors listed all 50 on every lookup; linearizable ones could only be 503 while there was no leader.
                assertThat(lookupLog.problems()).as("lookups on the survivors that did not list all %d instances", INSTANCES)
                        .isEmpty();
                // And they did so throughout the window: no stretch of more than three polling intervals without a
                // complete answer, plus, for linearizable lookups, the time there was no leader to serve them.
                long allowedGap = 3 * LOOKUP_INTERVAL.toMillis();
                for (RosterProcess survivor : survivors) {
                    assertThat(lookupLog.longestGapMillis(survivor.name(), RosterHttp.SERIALIZABLE, windowEnd))
                            .as("longest time in the window without a serializable lookup on %s listing all %d",
                                    survivor.name(), INSTANCES)
                            .isLessThanOrEqualTo(allowedGap);
                    assertThat(lookupLog.longestGapMillis(survivor.name(), RosterHttp.LINEARIZABLE, windowEnd))
                            .as("longest time in the window without a linearizable lookup on %s listing all %d",
                                    survivor.name(), INSTANCES)
                            .isLessThanOrEqualTo(allowedGap + leaderless);
                }
                assertThat(leaderless).as("ms the survivors were without a leader").isLessThan(15_000);
            } finally {
                heartbeater.shutdownNow();
                lookups.shutdownNow();
                watches.values().forEach(list -> list.forEach(EventStream::close));
            }
        }
    }

    private static String type(EventStream.Event event) {
        return event.data().path("type").asString("");
    }

    private static String summary(EventStream.Event event) {
        JsonNode data = event.data();
        return type(event) + " " + data.path("instanceId").asString("?") + " " + data.path("reason").asString("?")
                + " @" + event.revision();
    }

    private static Set<String> names(List<RosterProcess> members) {
        return members.stream().map(RosterProcess::name).collect(Collectors.toCollection(TreeSet::new));
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void log(String format, Object... args) {
        LOG.info(String.format(format, args));
    }

    /**
     * Each instance's heartbeat as a client with every member's address would send it, every
     * {@link #HEARTBEAT_INTERVAL}: to the next running member in turn (so the instances spread over the
     * members), and on a connection error, a timeout or a 503, at once to the next one; after a round of
     * failures on every running member, again 100 ms later, until one renews it or a TTL has passed since
     * the heartbeat was due.
     */
    static final class Heartbeater {
        private static final long RETRY_ROUND_MILLIS = 100;

        private final ProcessCluster cluster;
        private final ScheduledThreadPoolExecutor scheduler;
        private final AtomicInteger turn = new AtomicInteger();
        private final Map<String, List<Long>> renewals = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> successesVia = new ConcurrentHashMap<>();
        private final List<String> notFound = Collections.synchronizedList(new ArrayList<>());
        private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger unavailable = new AtomicInteger();
        private final AtomicInteger connectionErrors = new AtomicInteger();
        private final Map<String, AtomicInteger> connectionErrorKinds = new ConcurrentHashMap<>();
        private final AtomicInteger gaveUp = new AtomicInteger();
        private volatile boolean stopped;

        Heartbeater(ProcessCluster cluster, List<String> ids) {
            this.cluster = cluster;
            // One thread per instance at most: a heartbeat may wait up to its request timeout for an answer.
            this.scheduler = new ScheduledThreadPoolExecutor(ids.size(), daemon("it-heartbeat"));
            scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            ids.forEach(id -> renewals.put(id, Collections.synchronizedList(new ArrayList<>())));
        }

        /** Starts the instance's heartbeats after {@code offsetMillis}. */
        void start(String id, long offsetMillis) {
            later(offsetMillis, () -> beat(id, System.nanoTime()));
        }

        /** Stops every heartbeat; true when none is still in flight within the timeout. */
        boolean stop(Duration timeout) throws InterruptedException {
            stopped = true;
            scheduler.shutdown();
            return scheduler.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        void shutdownNow() {
            stopped = true;
            scheduler.shutdownNow();
        }

        private void later(long delayMillis, Runnable task) {
            if (stopped) {
                return;
            }
            try {
                scheduler.schedule(task, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // stopped meanwhile
            }
        }

        /** One round over the running members for the heartbeat due at {@code due}. */
        private void beat(String id, long due) {
            List<RosterProcess> running = cluster.running();
            if (running.isEmpty()) {
                problems.add(id + ": no member is running");
                return;
            }
            int first = turn.getAndIncrement();
            for (int k = 0; k < running.size() && !stopped; k++) {
                RosterProcess target = running.get(Math.floorMod(first + k, running.size()));
                if (!retryable(send(id, target, due))) {
                    next(id, due);
                    return;
                }
            }
            if (System.nanoTime() - due < TimeUnit.SECONDS.toNanos(TTL_SECONDS)) {
                later(RETRY_ROUND_MILLIS, () -> beat(id, due));
            } else {
                gaveUp.incrementAndGet();
                next(id, due);
            }
        }

        private void next(String id, long due) {
            long nextDue = due + HEARTBEAT_INTERVAL.toNanos();
            later((nextDue - System.nanoTime()) / 1_000_000, () -> beat(id, nextDue));
        }

        private static boolean retryable(int outcome) {
            return outcome == 503 || outcome == -1;
        }

        /** The answer's status, or -1 for a connection error or a timeout. */
        private int send(String id, RosterProcess target, long due) {
            try {
                RosterHttp.Reply answer = RegistryRequests.heartbeat(
                        target.client().withTimeout(HEARTBEAT_REQUEST_TIMEOUT), SERVICE, id);
                if (answer.status() == 200) {
                    if (answer.number("ttlSeconds") != TTL_SECONDS) {
                        problems.add(id + " via " + target.name() + ": " + answer);
                    }
                    renewals.get(id).add(System.nanoTime());
                    successesVia.computeIfAbsent(target.name(), name -> new AtomicInteger()).incrementAndGet();
                } else if (answer.status() == 404) {
                    notFound.add(id + " via " + target.name() + ", " + millisSince(due, System.nanoTime())
                            + " ms after it was due: " + answer);
                } else if (answer.status() == 503) {
                    unavailable.incrementAndGet();
                } else {
                    problems.add(id + " via " + target.name() + ": " + answer);
                }
                return answer.status();
            } catch (UncheckedIOException e) {
                connectionErrors.incrementAndGet();
                String kind = target.name() + " " + e.getClass().getSimpleName() + ": " + e.getMessage();
                connectionErrorKinds.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
                return -1;
            } catch (RuntimeException e) {
                problems.add(id + " via " + target.name() + " failed: " + e);
                return 0;
            }
        }

        int minSuccessesPerInstance() {
            return renewals.values().stream().mapToInt(List::size).min().orElse(0);
        }

        int successes() {
            return renewals.values().stream().mapToInt(List::size).sum();
        }

        Set<String> successesVia() {
            return Set.copyOf(successesVia.keySet());
        }

        List<String> notFound() {
            return List.copyOf(notFound);
        }

        List<String> problems() {
            return List.copyOf(problems);
        }

        int unavailable() {
            return unavailable.get();
        }

        int connectionErrors() {
            return connectionErrors.get();
        }

        /** Connection errors and timeouts by member and message, for the log. */
        Map<String, Integer> connectionErrorKinds() {
            Map<String, Integer> kinds = new TreeMap<>();
            connectionErrorKinds.forEach((kind, count) -> kinds.put(kind, count.get()));
            return kinds;
        }

        int gaveUp() {
            return gaveUp.get();
        }

        /**
         * How renewals fared around {@code killedAt}: the longest time in which no instance was renewed at all,
         * and the longest gap between two renewals of one instance, among renewals completed after the kill.
         */
        Outage outageAfter(long killedAt) {
            List<Long> all = new ArrayList<>();
            long longest = 0;
            String longestFor = "-";
            for (Map.Entry<String, List<Long>> entry : renewals.entrySet()) {
                List<Long> times;
                synchronized (entry.getValue()) {
                    times = List.copyOf(entry.getValue());
                }
                all.addAll(times);
                for (int i = 1; i < times.size(); i++) {
                    long gap = times.get(i) - times.get(i - 1);
                    if (times.get(i) - killedAt > 0 && gap > longest) {
                        longest = gap;
                        longestFor = entry.getKey();
                    }
                }
            }
            all.sort(null);
            long silence = 0;
            for (int i = 1; i < all.size(); i++) {
                if (all.get(i) - killedAt > 0) {
                    silence = Math.max(silence, all.get(i) - Math.max(all.get(i - 1), killedAt));
                }
            }
            return new Outage(silence / 1_000_000, longest / 1_000_000, longestFor);
        }

        record Outage(long noRenewalsMillis, long longestGapMillis, String longestGapInstance) {
        }
    }

    /** Serializable and linearizable lookups on each survivor, every couple of seconds, and what they answered. */
    static final class LookupLog {
        private final Set<String> expected;
        private final long killedAt;
        /** When each complete answer came back, by member and consistency. */
        private final Map<String, List<Long>> complete = new ConcurrentHashMap<>();
        private final AtomicInteger unavailable = new AtomicInteger();
        private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

        LookupLog(List<RosterProcess> survivors, List<String> expected, long killedAt) {
            this.expected = Set.copyOf(expected);
            this.killedAt = killedAt;
            for (RosterProcess survivor : survivors) {
                for (String consistency : List.of(RosterHttp.SERIALIZABLE, RosterHttp.LINEARIZABLE)) {
                    complete.put(survivor.name() + "/" + consistency, Collections.synchronizedList(new ArrayList<>()));
                }
            }
        }

        void poll(RosterProcess survivor, String consistency) {
            String what = consistency + " lookup on " + survivor.name() + " at +" + millisSince(killedAt, System.nanoTime()) + " ms";
            try {
                RosterHttp.Reply answer = RegistryRequests.lookup(survivor.client(), SERVICE, consistency);
                if (answer.status() == 503 && consistency.equals(RosterHttp.LINEARIZABLE)) {
                    unavailable.incrementAndGet();
                } else if (answer.status() != 200) {
                    problems.add(what + ": " + answer);
                } else {
                    Set<String> listed = RegistryRequests.instanceIds(answer);
                    if (listed.equals(expected)) {
                        complete.get(survivor.name() + "/" + consistency).add(System.nanoTime());
                    } else {
                        Set<String> missing = new TreeSet<>(expected);
                        missing.removeAll(listed);
                        problems.add(what + " listed " + listed.size() + ", missing " + missing);
                    }
                }
            } catch (UncheckedIOException e) {
                problems.add(what + ": " + e);
            }
        }

        private List<Long> times(String member, String consistency) {
            List<Long> times = complete.get(member + "/" + consistency);
            synchronized (times) {
                return List.copyOf(times);
            }
        }

        int complete(String consistency) {
            return complete.entrySet().stream().filter(entry -> entry.getKey().endsWith("/" + consistency))
                    .mapToInt(entry -> entry.getValue().size()).sum();
        }

        /** The longest stretch between the kill and {@code windowEnd} without a complete answer. */
        long longestGapMillis(String member, String consistency, long windowEnd) {
            long previous = killedAt;
            long longest = 0;
            for (long time : times(member, consistency)) {
                longest = Math.max(longest, time - previous);
                previous = time;
            }
            longest = Math.max(longest, windowEnd - previous);
            return longest / 1_000_000;
        }

        int unavailable() {
            return unavailable.get();
        }

        List<String> problems() {
            return List.copyOf(problems);
        }
    }
}
