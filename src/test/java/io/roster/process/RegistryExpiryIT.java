package io.roster.process;

import io.roster.testing.ProcessCluster;
import io.roster.testing.RosterClient;
import io.roster.testing.RosterProcess;
import io.roster.testing.SseClient;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.roster.process.RegistryRequests.millisSince;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The built jar as three OS processes: an instance that registers and never heartbeats is gone from every
 * member's own state within its TTL plus one second of the registration being acknowledged (and not before
 * its TTL), and a watcher on a follower is told exactly once, with reason {@code expired}.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class RegistryExpiryIT {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryExpiryIT.class);

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final String SERVICE = "billing";
    private static final String INSTANCE = "billing-short";
    private static final long TTL_SECONDS = 2;
    /** What the issue demands: gone everywhere within TTL + 1 s of the acknowledgement. */
    private static final Duration BOUND = Duration.ofSeconds(TTL_SECONDS + 1);
    /** How long to keep measuring past the bound, so that a failure says how late it really was. */
    private static final Duration MEASURE_PAST_BOUND = Duration.ofSeconds(15);

    @Test
    void anInstanceThatNeverHeartbeatsIsGoneFromEveryMemberWithinItsTtlPlusOneSecond(TestInfo test) throws Exception {
        try (ProcessCluster cluster = ProcessCluster.builder()
                .members(3)
                .electionTimeout(Duration.ofMillis(1000))
                .logDir(RosterProcess.logDirFor(getClass(), test.getTestMethod().orElseThrow().getName()))
                .build()) {
            cluster.start().awaitReady(START_TIMEOUT);
            RosterProcess leader = cluster.leader();
            List<RosterProcess> followers = cluster.followers();
            RosterProcess watched = followers.get(0);
            RosterProcess registeredVia = followers.get(1); // forwarded to the leader, as most clients' writes are
            List<RosterProcess> members = cluster.members();
            long termBefore = leader.status().path("raftTerm").asLong(-1);

            try (SseClient watch = SseClient.open(RegistryRequests.watchUrl(watched, SERVICE, null))) {
                assertThat(watch.status()).as("watch on %s: %s", watched.name(), watch.errorBody()).isEqualTo(200);
                await("watch on " + watched.name() + " open").atMost(Duration.ofSeconds(10))
                        .until(() -> watch.comments().stream().anyMatch(comment -> comment.startsWith("watching changes after revision")));

                long sent = System.nanoTime();
                RosterClient.Response registered = RegistryRequests.register(registeredVia.client(), SERVICE, INSTANCE,
                        TTL_SECONDS, 8080);
                long acked = System.nanoTime();
                assertThat(registered.status()).as("registration via %s: %s", registeredVia.name(), registered).isEqualTo(201);
                assertThat(registered.number("ttlSeconds")).isEqualTo(TTL_SECONDS);
                long registeredRevision = registered.number("revision");
                log("registered %s (ttl %d s) via %s at revision %d, acknowledged after %d ms; leader %s, watcher on %s",
                        INSTANCE, TTL_SECONDS, registeredVia.name(), registeredRevision, millisSince(sent, acked),
                        leader.name(), watched.name());

                Expiry expiry = new Expiry(members, watch);
                long deadline = acked + BOUND.toNanos();
                try {
                    await("gone from every member's local state and reported to the watcher")
                            .atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
                            .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(25))
                            .until(expiry::observe);
                } catch (ConditionTimeoutException e) {
                    // Keep measuring, so that the failure reports how late each member really was.
                    try {
                        await().atMost(MEASURE_PAST_BOUND).pollInterval(Duration.ofMillis(25)).until(expiry::observe);
                    } catch (ConditionTimeoutException stillNot) {
                        // reported below
                    }
                    // A leader change restarts the countdown at the full TTL plus an election timeout, by design.
                    throw new AssertionError("not gone everywhere within TTL + 1 s (" + BOUND.toMillis() + " ms) of the"
                            + " acknowledgement; measured after the acknowledgement: " + expiry.report(acked)
                            + "; Raft term " + termBefore + " before the registration, members now:"
                            + System.lineSeparator() + describe(cluster), e);
                }
                log("measured after the acknowledgement: %s", expiry.report(acked));

                for (RosterProcess member : members) {
                    // Not early either: whatever the server's clock did, a full TTL passed since the request was sent.
                    // (A lookup that had come back before then without the instance would prove it went early.)
                    assertThat(millisSince(sent, expiry.goneBy.get(member.name())))
                            .as("ms from sending the registration to the answer of the first lookup on %s without it",
                                    member.name())
                            .isGreaterThanOrEqualTo(TTL_SECONDS * 1000);
                }

                // Once it is gone, a heartbeat anywhere says so.
                for (RosterProcess member : members) {
                    RosterClient.Response beat = RegistryRequests.heartbeat(member.client(), SERVICE, INSTANCE);
                    assertThat(beat.status()).as("heartbeat for the expired instance via %s: %s", member.name(), beat)
                            .isEqualTo(404);
                    // From a follower, the leader's answer comes back on another thread (HeartbeatFastPath).
                    assertThat(beat.headers().firstValue("Content-Type")).as("via %s", member.name())
                            .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
                    assertThat(beat.string("detail")).as("via %s", member.name()).contains("register it again");
                }

                // A later change, so that anything sent before it (a second DELETE, say) has reached the watcher.
                RosterClient.Response marker = RegistryRequests.register(leader.client(), SERVICE, "billing-marker", 60, 8081);
                assertThat(marker.status()).as("marker registration: %s", marker).isEqualTo(201);
                long markerRevision = marker.number("revision");
                await("the watcher on " + watched.name() + " reached revision " + markerRevision)
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> watch.events().stream().anyMatch(event -> event.revision() >= markerRevision));

                List<SseClient.Event> events = watch.events();
                List<String> seen = events.stream().map(RegistryExpiryIT::summary).toList();
                SseClient.Event delete = events.stream()
                        .filter(event -> "DELETE".equals(event.data().path("type").asString(""))).findFirst()
                        .orElseThrow(() -> new AssertionError("no DELETE among the events on " + watched.name() + ": " + seen));
                assertThat(seen).as("events on the watcher on %s", watched.name()).containsExactly(
                        "PUT " + INSTANCE + " registered @" + registeredRevision,
                        "DELETE " + INSTANCE + " expired @" + delete.revision(),
                        "PUT billing-marker registered @" + markerRevision);
                assertThat(delete.revision()).isBetween(registeredRevision + 1, markerRevision - 1);
                assertThat(delete.id()).as("event id is the revision").isEqualTo(Long.toString(delete.revision()));
                assertThat(delete.data().path("service").asString("")).isEqualTo(SERVICE);
                assertThat(delete.data().has("instance")).as("a DELETE carries no instance").isFalse();
                assertThat(watch.ended()).as("the watch is still open").isFalse();
            }
        }
    }

    private static String summary(SseClient.Event event) {
        JsonNode data = event.data();
        return data.path("type").asString("?") + " " + data.path("instanceId").asString("?") + " "
                + data.path("reason").asString("?") + " @" + event.revision();
    }

    private static String describe(ProcessCluster cluster) {
        return cluster.members().stream().map(member -> {
            try {
                return member.name() + ": " + member.status();
            } catch (IOException e) {
                return member.name() + ": " + e;
            }
        }).collect(Collectors.joining(System.lineSeparator()));
    }

    private static void log(String format, Object... args) {
        LOG.info(String.format(format, args));
    }

    /**
     * Polls every member's own state (serializable lookups) and the watcher. For each member it notes when a
     * lookup that still listed the instance was sent (it was listed at least until then) and when the first
     * lookup that no longer listed it came back (it was gone by then), and when the watcher had the DELETE.
     */
    private static final class Expiry {
        private final List<RosterProcess> members;
        private final SseClient watch;
        final Map<String, Long> listedAt = new ConcurrentHashMap<>();
        final Map<String, Long> goneBy = new ConcurrentHashMap<>();
        final Map<String, String> lastAnswer = new ConcurrentHashMap<>();
        volatile long watcherToldAt;

        Expiry(List<RosterProcess> members, SseClient watch) {
            this.members = members;
            this.watch = watch;
        }

        boolean observe() {
            for (RosterProcess member : members) {
                if (goneBy.containsKey(member.name())) {
                    continue;
                }
                long sent = System.nanoTime();
                try {
                    RosterClient.Response lookup = RegistryRequests.lookup(member.client().withTimeout(Duration.ofSeconds(2)),
                            SERVICE, RosterClient.SERIALIZABLE);
                    long answered = System.nanoTime();
                    lastAnswer.put(member.name(), lookup.toString());
                    if (lookup.status() != 200) {
                        throw new AssertionError("serializable lookup on " + member.name() + " answered " + lookup);
                    }
                    if (RegistryRequests.instanceIds(lookup).contains(INSTANCE)) {
                        listedAt.put(member.name(), sent);
                    } else if (listedAt.containsKey(member.name())) {
                        goneBy.put(member.name(), answered);
                    }
                } catch (IOException e) {
                    lastAnswer.put(member.name(), e.toString());
                }
            }
            if (watcherToldAt == 0 && watch.events().stream()
                    .anyMatch(event -> "DELETE".equals(event.data().path("type").asString("")))) {
                watcherToldAt = System.nanoTime();
            }
            return goneBy.size() == members.size() && watcherToldAt != 0;
        }

        String report(long acked) {
            Map<String, String> report = new LinkedHashMap<>();
            for (RosterProcess member : members) {
                Long listed = listedAt.get(member.name());
                Long gone = goneBy.get(member.name());
                report.put(member.name(), listed == null ? "never seen listed; last answer " + lastAnswer.get(member.name())
                        : gone == null ? "still listed at " + millisSince(acked, listed) + " ms; last answer "
                                + lastAnswer.get(member.name())
                        : "listed at " + millisSince(acked, listed) + " ms, gone by " + millisSince(acked, gone) + " ms");
            }
            report.put("watcher", watcherToldAt == 0 ? "no DELETE yet" : "DELETE by " + millisSince(acked, watcherToldAt) + " ms");
            return report.toString();
        }
    }
}
