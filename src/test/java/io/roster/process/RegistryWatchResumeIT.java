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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The built jar as three OS processes: a client watching the registry on member A while registrations,
 * patches, replacements, deregistrations and expiries stream in through every member, stops mid-stream and
 * resumes on member B with {@code ?revision=<last seen>}, then again on member C. Put together, what it saw is
 * exactly what a watcher that stayed connected on the leader saw, and what the acknowledged writes and the
 * expiries account for: nothing missed, nothing twice, in revision order.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RegistryWatchResumeIT {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryWatchResumeIT.class);

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> SERVICES = List.of("orders", "payments");
    private static final long LONG_TTL_SECONDS = 120;
    private static final long SHORT_TTL_SECONDS = 1;
    /** Events each leg of the resuming watcher sees before it is closed. */
    private static final int EVENTS_PER_LEG = 40;
    /** Changes made while the watcher is disconnected, which it must get from the member's history. */
    private static final int EVENTS_WHILE_AWAY = 5;
    private static final Duration WRITE_PACE = Duration.ofMillis(15);

    @Test
    void aWatcherThatResumesOnOtherMembersMissesNothingAndSeesNothingTwice(TestInfo test) throws Exception {
        try (ProcessCluster cluster = ProcessCluster.builder()
                .members(3)
                .electionTimeout(Duration.ofMillis(1000))
                .logDir(RosterProcess.logDirFor(getClass(), test.getTestMethod().orElseThrow().getName()))
                .build()) {
            cluster.start().awaitReady(START_TIMEOUT);
            RosterProcess leader = cluster.leader();
            List<RosterProcess> followers = cluster.followers();
            List<RosterProcess> legs = List.of(followers.get(0), followers.get(1), leader); // A, B, C
            long startRevision = leader.status().path("revision").asLong(-1);
            assertThat(startRevision).as("revision before any change").isPositive();

            Generator generator = new Generator(cluster.members());
            ScheduledExecutorService writes = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "it-registry-writer");
                thread.setDaemon(true);
                return thread;
            });
            List<EventStream> opened = new ArrayList<>();
            try {
                EventStream reference = open(opened, leader, startRevision);
                List<List<EventStream.Event>> seenByLeg = new ArrayList<>();
                EventStream current = open(opened, legs.get(0), startRevision);
                writes.scheduleWithFixedDelay(generator::next, 0, WRITE_PACE.toMillis(), TimeUnit.MILLISECONDS);

                for (int leg = 0; leg < legs.size(); leg++) {
                    EventStream watch = current;
                    RosterProcess member = legs.get(leg);
                    await("leg " + (leg + 1) + " on " + member.name() + " saw " + EVENTS_PER_LEG + " events")
                            .atMost(Duration.ofSeconds(30)).until(() -> watch.events().size() >= EVENTS_PER_LEG);
                    if (leg == legs.size() - 1) {
                        break; // the last leg stays connected to the end
                    }
                    watch.close();
                    await("leg " + (leg + 1) + " on " + member.name() + " closed").atMost(Duration.ofSeconds(10)).until(watch::ended);
                    List<EventStream.Event> seen = watch.events();
                    seenByLeg.add(seen);
                    long last = seen.get(seen.size() - 1).revision();
                    // Let the stream move on while nobody watches, so that the next leg starts from history.
                    await("changes after revision " + last + " while the watcher is away").atMost(Duration.ofSeconds(30))
                            .until(() -> lastRevision(reference) >= last + EVENTS_WHILE_AWAY);
                    RosterProcess next = legs.get(leg + 1);
                    log("leg %d on %s: %d events up to revision %d; resuming on %s after revision %d (the leader's watcher is at %d)",
                            leg + 1, member.name(), seen.size(), last, next.name(), last, lastRevision(reference));
                    current = open(opened, next, last);
                }

                writes.shutdown();
                assertThat(writes.awaitTermination(30, TimeUnit.SECONDS)).as("writer stopped").isTrue();
                log("writes acknowledged: %s; outcome unknown (503 or no answer): %s", generator.countsByReason(),
                        generator.unknown());
                assertThat(generator.failures()).as("writes answered other than as acknowledged, 503 or not at all").isEmpty();
                Set<String> shortLived = generator.shortLived();
                assertThat(shortLived).as("short-lived instances registered").hasSizeGreaterThanOrEqualTo(5);

                // Every short-lived instance expires; then a last change marks the end of the stream.
                await("every short-lived instance expired").atMost(Duration.ofSeconds(SHORT_TTL_SECONDS + 15))
                        .until(() -> expiredIds(reference.events()).containsAll(shortLived));
                RosterHttp.Reply marker = RegistryRequests.register(legs.get(0).client(), SERVICES.get(0), "end-marker",
                        LONG_TTL_SECONDS, 7000);
                assertThat(marker.status()).as("marker registration: %s", marker).isEqualTo(201);
                long end = marker.number("revision");
                EventStream last = current;
                await("both watchers reached revision " + end).atMost(Duration.ofSeconds(10))
                        .until(() -> lastRevision(reference) >= end && lastRevision(last) >= end);
                seenByLeg.add(upTo(last.events(), end));
                List<EventStream.Event> expected = upTo(reference.events(), end);
                assertThat(reference.ended()).as("the leader's watcher stayed connected").isFalse();
                assertThat(last.ended()).as("the last leg's watcher stayed connected").isFalse();

                // Each leg in strictly increasing revision order, and each one after the one before.
                long previous = startRevision;
                for (int leg = 0; leg < seenByLeg.size(); leg++) {
                    for (EventStream.Event event : seenByLeg.get(leg)) {
                        assertThat(event.revision()).as("revision of %s in leg %d on %s, after revision %d", summary(event),
                                leg + 1, legs.get(leg).name(), previous).isGreaterThan(previous);
                        assertThat(event.id()).as("event id of %s", summary(event)).isEqualTo(Long.toString(event.revision()));
                        previous = event.revision();
                    }
                }
                List<EventStream.Event> resumed = seenByLeg.stream().flatMap(List::stream).toList();
                Set<String> distinct = new HashSet<>();
                List<String> twice = resumed.stream().map(event -> event.revision() + "/" + event.data().path("service").asString("")
                        + "/" + event.data().path("instanceId").asString("")).filter(key -> !distinct.add(key)).toList();
                assertThat(twice).as("events seen twice across the legs").isEmpty();

                // Exactly what the watcher that never left saw, payloads included.
                assertThat(resumed.stream().map(RegistryWatchResumeIT::summary).toList())
                        .as("the resumed watcher's events (legs on %s) against the leader's watcher", names(legs))
                        .containsExactlyElementsOf(expected.stream().map(RegistryWatchResumeIT::summary).toList());
                for (int i = 0; i < expected.size(); i++) {
                    assertThat(resumed.get(i).data()).as("data of event %d", i).isEqualTo(expected.get(i).data());
                }

                // And what the acknowledged writes and the expiries account for: no change lost, none invented.
                List<String> unexplained = new ArrayList<>();
                Map<Long, Generator.Ack> acks = generator.acksByRevision();
                Set<String> expiredSeen = new HashSet<>();
                List<String> unknown = generator.unknown().stream().map(Generator.Ack::describe)
                        .collect(Collectors.toCollection(ArrayList::new));
                for (EventStream.Event event : expected) {
                    Generator.Ack ack = acks.get(event.revision());
                    String id = event.data().path("service").asString("") + "/" + event.data().path("instanceId").asString("");
                    if (ack != null) {
                        if (!ack.describe().equals(describe(event))) {
                            unexplained.add(summary(event) + " but the write acknowledged at that revision was " + ack);
                        }
                    } else if (event.revision() == end) {
                        assertThat(describe(event)).isEqualTo("PUT " + SERVICES.get(0) + "/end-marker registered");
                    } else if ("expired".equals(reason(event))
                            && (shortLived.contains(id) || generator.maybeShortLived().contains(id))) {
                        if (!expiredSeen.add(id)) {
                            unexplained.add(summary(event) + ", expired a second time");
                        }
                    } else if (!unknown.remove(describe(event))) {
                        unexplained.add(summary(event));
                    }
                }
                assertThat(unexplained).as("events that no acknowledged write or expiry explains").isEmpty();
                Set<Long> eventRevisions = expected.stream().map(EventStream.Event::revision).collect(Collectors.toSet());
                List<Generator.Ack> missing = acks.values().stream().filter(ack -> !eventRevisions.contains(ack.revision())).toList();
                assertThat(missing).as("acknowledged writes no watcher was told of").isEmpty();
                assertThat(expiredSeen).as("expired instances").containsAll(shortLived);
                assertThat(generator.maybeShortLived()).as("short-lived instances whose registration may have been applied")
                        .containsAll(expiredSeen.stream().filter(id -> !shortLived.contains(id)).toList());

                Map<String, Long> reasons = resumed.stream().collect(Collectors.groupingBy(RegistryWatchResumeIT::reason,
                        TreeMap::new, Collectors.counting()));
                log("%d events from revision %d to %d in %d legs (%s); by reason %s", resumed.size(), startRevision + 1, end,
                        seenByLeg.size(), seenByLeg.stream().map(leg -> Integer.toString(leg.size())).collect(Collectors.joining("+")),
                        reasons);
                for (String reason : List.of("registered", "updated", "deregistered", "expired")) {
                    assertThat(reasons.getOrDefault(reason, 0L)).as("events with reason %s", reason).isGreaterThanOrEqualTo(3);
                }
            } finally {
                writes.shutdownNow();
                opened.forEach(EventStream::close);
            }
        }
    }

    /** Opens a watch of every service on {@code member} after {@code revision}, checking that it says so. */
    private static EventStream open(List<EventStream> opened, RosterProcess member, long revision) {
        EventStream watch = RegistryRequests.watch(member, null, revision);
        opened.add(watch);
        assertThat(watch.status()).as("watch on %s after revision %d: %s", member.name(), revision, watch.errorBody())
                .isEqualTo(200);
        await("the watch on " + member.name() + " opened").atMost(Duration.ofSeconds(10))
                .until(() -> !watch.comments().isEmpty());
        assertThat(watch.comments().get(0)).as("opening comment of the watch on %s", member.name())
                .isEqualTo("watching changes after revision " + revision);
        assertThat(watch.eventsBeforeFirstComment()).as("events on the watch on %s before its opening comment", member.name())
                .isZero();
        return watch;
    }

    private static long lastRevision(EventStream watch) {
        List<EventStream.Event> events = watch.events();
        return events.isEmpty() ? -1 : events.get(events.size() - 1).revision();
    }

    private static List<EventStream.Event> upTo(List<EventStream.Event> events, long revision) {
        return events.stream().filter(event -> event.revision() <= revision).toList();
    }

    private static Set<String> expiredIds(List<EventStream.Event> events) {
        return events.stream().filter(event -> "expired".equals(reason(event)))
                .map(event -> event.data().path("service").asString("") + "/" + event.data().path("instanceId").asString(""))
                .collect(Collectors.toSet());
    }

    private static String reason(EventStream.Event event) {
        return event.data().path("reason").asString("");
    }

    /** Type, service/instance and reason: what a write or an expiry determines. */
    private static String describe(EventStream.Event event) {
        JsonNode data = event.data();
        return data.path("type").asString("?") + " " + data.path("service").asString("?") + "/"
                + data.path("instanceId").asString("?") + " " + data.path("reason").asString("?");
    }

    private static String summary(EventStream.Event event) {
        return describe(event) + " @" + event.revision();
    }

    private static List<String> names(List<RosterProcess> members) {
        return members.stream().map(RosterProcess::name).toList();
    }

    private static void log(String format, Object... args) {
        LOG.info(String.format(format, args));
    }

    /**
     * Makes one registry change per call, through each member in turn: registrations of long-lived and of
     * short-lived (never heartbeated, so they expire) instances, patches, re-registrations that replace an
     * instance, and deregistrations; and records what each acknowledged write should show watchers. A write
     * answered 503 or not at all (a leader change on a loaded machine) may or may not have been applied: it
     * is kept apart, may explain at most one event, and its instance is not touched again.
     */
    static final class Generator {
        private final List<RosterProcess> members;
        private final List<String> live = new ArrayList<>();
        private final Set<String> shortLived = Collections.synchronizedSet(new HashSet<>());
        private final Set<String> maybeShortLived = Collections.synchronizedSet(new HashSet<>());
        private final Map<Long, Ack> acks = Collections.synchronizedMap(new LinkedHashMap<>());
        private final List<Ack> unknown = Collections.synchronizedList(new ArrayList<>());
        private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger step = new AtomicInteger();

        /** A write and what watchers should be told of it; revision -1 when its outcome is unknown. */
        record Ack(long revision, String type, String service, String instanceId, String reason, String via) {
            String describe() {
                return type + " " + service + "/" + instanceId + " " + reason;
            }
        }

        private enum Outcome { ACKNOWLEDGED, UNKNOWN, FAILED }

        Generator(List<RosterProcess> members) {
            this.members = members;
        }

        void next() {
            int n = step.getAndIncrement();
            RosterProcess via = members.get(n % members.size());
            String service = SERVICES.get(n % SERVICES.size());
            int kind = n % 10;
            if (live.size() < 3 || kind == 0 || kind == 3 || kind == 6) {
                String id = "svc-" + n;
                if (register(via, service, id, LONG_TTL_SECONDS, 201, "registered") == Outcome.ACKNOWLEDGED) {
                    live.add(service + "/" + id);
                }
            } else if (kind == 1 || kind == 7) {
                String id = "short-" + n;
                Outcome outcome = register(via, service, id, SHORT_TTL_SECONDS, 201, "registered");
                (outcome == Outcome.ACKNOWLEDGED ? shortLived : maybeShortLived).add(service + "/" + id);
            } else if (kind == 2 || kind == 8) {
                String picked = pick();
                String[] target = picked.split("/");
                Map<String, Object> changes = new LinkedHashMap<>();
                changes.put("weight", n % 100);
                changes.put("metadata", Map.of("step", Integer.toString(n)));
                if (n % 4 == 0) {
                    changes.put("status", "OUT_OF_SERVICE");
                }
                Ack ack = new Ack(-1, "PUT", target[0], target[1], "updated", via.name());
                if (write(ack, 200, () -> RegistryRequests.patch(via.client(), target[0], target[1], changes)) != Outcome.ACKNOWLEDGED) {
                    live.remove(picked);
                }
            } else if (kind == 4) {
                String picked = pick();
                String[] target = picked.split("/");
                if (register(via, target[0], target[1], LONG_TTL_SECONDS, 200, "updated") != Outcome.ACKNOWLEDGED) {
                    live.remove(picked);
                }
            } else {
                String picked = pick();
                String[] target = picked.split("/");
                Ack ack = new Ack(-1, "DELETE", target[0], target[1], "deregistered", via.name());
                write(ack, 204, () -> RegistryRequests.deregister(via.client(), target[0], target[1]));
                live.remove(picked);
            }
        }

        private String pick() {
            return live.get(ThreadLocalRandom.current().nextInt(live.size()));
        }

        private Outcome register(RosterProcess via, String service, String id, long ttl, int expectedStatus, String reason) {
            return write(new Ack(-1, "PUT", service, id, reason, via.name()), expectedStatus,
                    () -> RegistryRequests.register(via.client(), service, id, ttl, 8000));
        }

        private interface Call {
            RosterHttp.Reply send();
        }

        private Outcome write(Ack intended, int expectedStatus, Call call) {
            RosterHttp.Reply answer;
            try {
                answer = call.send();
            } catch (UncheckedIOException e) {
                unknown.add(intended);
                return Outcome.UNKNOWN;
            } catch (RuntimeException e) {
                failures.add(intended.describe() + " via " + intended.via() + " failed: " + e);
                return Outcome.FAILED;
            }
            if (answer.status() == 503) {
                unknown.add(intended);
                return Outcome.UNKNOWN;
            }
            long revision = answer.status() != expectedStatus ? -1
                    : expectedStatus == 204 ? answer.revision().orElse(-1) : answer.number("revision");
            if (revision <= 0) {
                failures.add(intended.describe() + " via " + intended.via() + ": " + answer);
                return Outcome.FAILED;
            }
            Ack ack = new Ack(revision, intended.type(), intended.service(), intended.instanceId(), intended.reason(), intended.via());
            Ack previous = acks.put(revision, ack);
            if (previous != null) {
                failures.add("two writes acknowledged at revision " + revision + ": " + previous + " and " + ack);
            }
            return Outcome.ACKNOWLEDGED;
        }

        Set<String> shortLived() {
            synchronized (shortLived) {
                return Set.copyOf(shortLived);
            }
        }

        Set<String> maybeShortLived() {
            synchronized (maybeShortLived) {
                return Set.copyOf(maybeShortLived);
            }
        }

        Map<Long, Ack> acksByRevision() {
            synchronized (acks) {
                return new LinkedHashMap<>(acks);
            }
        }

        List<Ack> unknown() {
            synchronized (unknown) {
                return List.copyOf(unknown);
            }
        }

        List<String> failures() {
            synchronized (failures) {
                return List.copyOf(failures);
            }
        }

        Map<String, Long> countsByReason() {
            return acksByRevision().values().stream().collect(Collectors.groupingBy(Ack::reason, TreeMap::new,
                    Collectors.counting()));
        }
    }
}
