package io.roster.scenarios;

import io.roster.client.CompareFailedException;
import io.roster.client.Consistency;
import io.roster.client.EventType;
import io.roster.client.InstanceSpec;
import io.roster.client.KeyEvent;
import io.roster.client.KeyValueResult;
import io.roster.client.Lease;
import io.roster.client.Lookup;
import io.roster.client.LookupQuery;
import io.roster.client.Member;
import io.roster.client.NotFoundException;
import io.roster.client.PutRequest;
import io.roster.client.RangeResult;
import io.roster.client.RegistryEvent;
import io.roster.client.InstanceSnapshot;
import io.roster.client.RosterClient;
import io.roster.client.RosterException;
import io.roster.client.Status;
import io.roster.client.Watch;
import io.roster.client.WatchListener;
import io.roster.testing.cluster.TestCluster;
import io.roster.testing.cluster.TestMember;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * What a three-member cluster promises, written once and run on every way members can run: in this JVM
 * ({@link InJvmClusterScenariosTest}) and as processes of the built jar ({@link ProcessClusterScenariosIT}).
 * Every request goes through the project's client library, as an application's would.
 */
abstract class ClusterScenarios {

    /** Generous for a loaded 2-core machine: these bound waits for a condition, they are not timings. */
    static final Duration WAIT = Duration.ofSeconds(60);

    private TestCluster cluster;

    /** Starts three members as a new cluster, ready and agreed on a leader. */
    protected abstract TestCluster startCluster(TestInfo test);

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private TestCluster cluster(TestInfo test) {
        cluster = startCluster(test);
        return cluster;
    }

    @Test
    void aWriteThroughAnyMemberIsReadLinearizablyThroughEveryMember(TestInfo test) {
        TestCluster cluster = cluster(test);
        List<Status> statuses = cluster.members().stream().map(ClusterScenarios::status).toList();
        assertThat(statuses).extracting(Status::clusterId).as("one cluster").containsOnly(statuses.get(0).clusterId());
        assertThat(statuses).extracting(Status::memberId).as("distinct members").doesNotHaveDuplicates();
        assertThat(statuses).extracting(Status::name).containsExactlyInAnyOrder("n1", "n2", "n3");
        for (TestMember writer : cluster.members()) {
            String key = "replicated/" + writer.name();
            try (RosterClient via = writer.client()) {
                via.put(key, "from " + writer.name());
            }
            // A linearizable read on any member sees the write as soon as it was acknowledged, wherever it went.
            for (TestMember reader : cluster.members()) {
                try (RosterClient on = reader.client()) {
                    assertThat(on.get(key).kv().value()).as("%s read on %s", key, reader.name()).isEqualTo("from " + writer.name());
                }
            }
        }

        TestMember follower = cluster.followers().get(0);
        try (RosterClient viaFollower = follower.client()) {
            KeyValueResult first = viaFollower.put("cas", "1");
            viaFollower.compareAndSwap("cas", "2", first.kv().modRevision());
            assertThatThrownBy(() -> viaFollower.compareAndSwap("cas", "3", first.kv().modRevision()))
                    .as("a compare-and-swap on a revision that is no longer the key's, forwarded by a follower")
                    .isInstanceOfSatisfying(CompareFailedException.class, failed ->
                            assertThat(failed.current()).hasValueSatisfying(current -> assertThat(current.value()).isEqualTo("2")));
        }
    }

    @Test
    void everyAcknowledgedWriteSurvivesKillingTheLeaderAndReachesEveryMember(TestInfo test) {
        TestCluster cluster = cluster(test);
        TestMember leader = cluster.leader();
        String leaderId = status(leader).memberId();
        try (Writes writes = new Writes("failover/", cluster::client)) {
            await("writes acknowledged before the kill").atMost(WAIT).until(() -> writes.acknowledgedCount() >= 30);
            leader.kill();
            int beforeElection = writes.acknowledgedCount();
            TestMember successor = cluster.leader();
            assertThat(successor).isNotSameAs(leader);
            await("writes acknowledged by the new leader").atMost(WAIT).until(() -> writes.acknowledgedCount() >= beforeElection + 30);

            // The killed member comes back from its data dir as the same member, and catches up.
            leader.start();
            assertThat(status(leader).memberId()).as("member id of %s after its restart", leader.name()).isEqualTo(leaderId);
            writes.close();
            assertThat(writes.unexpected()).as("answers other than acknowledged or unavailable").isEmpty();
            assertEveryMemberHolds(cluster, writes.acknowledged());
            await("every member at the same revision").atMost(WAIT).untilAsserted(() ->
                    assertThat(cluster.running().stream().map(member -> status(member).revision()).distinct()).hasSize(1));
        }
    }

    private static Status status(TestMember member) {
        try (RosterClient on = member.client()) {
            return on.status(member.clientUrl());
        }
    }

    @Test
    void aLeaseKeptAliveAcrossTwoLeaderChangesIsNeverExpiredAndExpiresEverywhereOnceLeftAlone(TestInfo test) {
        TestCluster cluster = cluster(test);
        Lease lease;
        try (RosterClient client = cluster.client()) {
            lease = client.grantLease(Duration.ofSeconds(3));
            client.put(new PutRequest("leased/config", "on", lease.id(), null));
        }
        AtomicInteger notFound = new AtomicInteger();
        ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor();
        try (RosterClient client = cluster.client()) {
            keepAlive.scheduleWithFixedDelay(() -> {
                try {
                    client.keepAlive(lease.id());
                } catch (NotFoundException expired) {
                    notFound.incrementAndGet();
                } catch (RosterException unavailable) {
                    // An election: the next keep-alive, 300 ms later, goes to the next member.
                }
            }, 0, 300, TimeUnit.MILLISECONDS);
            for (int change = 0; change < 2; change++) {
                TestMember leader = cluster.leader();
                leader.stop();
                assertThat(cluster.leader()).isNotSameAs(leader);
                leader.start();
            }
            keepAlive.shutdownNow();
            assertThat(notFound).as("keep-alives answered 'no such lease'").hasValue(0);
            for (TestMember member : cluster.running()) {
                try (RosterClient on = member.client()) {
                    assertThat(on.get("leased/config", Consistency.SERIALIZABLE).kv().value()).as("on %s", member.name()).isEqualTo("on");
                }
            }
        } finally {
            keepAlive.shutdownNow();
        }

        for (TestMember member : cluster.running()) {
            try (RosterClient on = member.client()) {
                await("the lease's key gone from " + member.name()).atMost(WAIT).pollInterval(Duration.ofMillis(100))
                        .untilAsserted(() -> assertThatThrownBy(() -> on.get("leased/config", Consistency.SERIALIZABLE))
                                .isInstanceOf(NotFoundException.class));
            }
        }
        try (RosterClient client = cluster.client()) {
            assertThatThrownBy(() -> client.keepAlive(lease.id())).isInstanceOf(NotFoundException.class);
        }
    }

    /**
     * An instance that registers and never heartbeats is gone from every member's own state within its TTL plus
     * one second of the registration being acknowledged, not before its TTL; a watcher is told once, with reason
     * {@code expired}; a heartbeat then says to register again. An instance that heartbeats stays.
     */
    @Test
    void anInstanceThatNeverHeartbeatsIsGoneFromEveryMemberWithinItsTtlPlusOneSecond(TestInfo test) {
        TestCluster cluster = cluster(test);
        long ttlSeconds = 2;
        List<RegistryEvent> seen = new CopyOnWriteArrayList<>();
        TestMember watched = cluster.followers().get(0);
        try (RosterClient watching = watched.client();
             RosterClient client = cluster.client();
             Watch watch = watching.watchService("billing", 0, collect(seen))) {
            client.register("billing", "billing-kept", InstanceSpec.of("10.0.0.2", 80).withTtlSeconds(ttlSeconds));
            ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
            heartbeats.scheduleWithFixedDelay(() -> {
                try {
                    client.heartbeat("billing", "billing-kept");
                } catch (RosterException e) {
                    // judged by the lookup below
                }
            }, 300, 300, TimeUnit.MILLISECONDS);
            Map<TestMember, RosterClient> local = new java.util.LinkedHashMap<>();
            cluster.members().forEach(member -> local.put(member, member.client()));
            try {
                long sent = System.nanoTime();
                long registered = client.register("billing", "billing-short", InstanceSpec.of("10.0.0.1", 80).withTtlSeconds(ttlSeconds))
                        .revision();
                long acknowledged = System.nanoTime();

                Map<TestMember, Long> goneAt = new java.util.concurrent.ConcurrentHashMap<>();
                await("billing-short gone from every member").atMost(WAIT).pollInterval(Duration.ofMillis(25)).until(() -> {
                    for (TestMember member : cluster.members()) {
                        if (!goneAt.containsKey(member) && expired(local.get(member), "billing-short", registered)) {
                            goneAt.put(member, System.nanoTime());
                        }
                    }
                    return goneAt.size() == cluster.members().size();
                });
                goneAt.forEach((member, at) -> {
                    assertThat(Duration.ofNanos(at - sent)).as("gone from %s after", member.name())
                            .isGreaterThanOrEqualTo(Duration.ofSeconds(ttlSeconds));
                    assertThat(Duration.ofNanos(at - acknowledged)).as("gone from %s after", member.name())
                            .isLessThanOrEqualTo(Duration.ofSeconds(ttlSeconds + 1));
                    assertThat(holds(local.get(member), "billing-kept")).as("the instance that heartbeats, on %s", member.name()).isTrue();
                });
                assertThatThrownBy(() -> client.heartbeat("billing", "billing-short")).isInstanceOf(NotFoundException.class)
                        .hasMessageContaining("register it again");

                long marker = client.register("billing", "billing-marker", InstanceSpec.of("10.0.0.3", 80).withTtlSeconds(60)).revision();
                await("the watcher reached the marker").atMost(WAIT).until(() -> seen.stream().anyMatch(event -> event.revision() >= marker));
                assertThat(seen).filteredOn(event -> event.instanceId().equals("billing-short"))
                        .extracting(RegistryEvent::type, RegistryEvent::reason)
                        .containsExactly(tuple(EventType.PUT, "registered"), tuple(EventType.DELETE, "expired"));
            } finally {
                heartbeats.shutdownNow();
                local.values().forEach(RosterClient::close);
            }
        }
    }

    /**
     * Heartbeats sent concurrently through a follower travel to the leader together; each must still get
     * its own instance's answer: renewed for registered instances, "register again" for unknown ones. A
     * heartbeat right after the registration, through a member that may lag, is renewed too.
     */
    @Test
    void concurrentHeartbeatsThroughAFollowerEachGetTheirOwnInstancesAnswer(TestInfo test) throws Exception {
        TestCluster cluster = cluster(test);
        int registered = 40;
        try (RosterClient client = cluster.leader().client(); RosterClient follower = cluster.followers().get(0).client()) {
            for (int i = 0; i < registered; i++) {
                client.register("fleet", "fleet-" + i, InstanceSpec.of("10.0.1." + i, 80).withTtlSeconds(30 + i));
                // At once, through a member that may not have applied the registration yet: still renewed.
                assertThat(follower.heartbeat("fleet", "fleet-" + i).ttlSeconds()).isEqualTo(30 + i);
            }
            List<String> wrong = new CopyOnWriteArrayList<>();
            AtomicInteger renewed = new AtomicInteger();
            AtomicInteger unknown = new AtomicInteger();
            java.util.concurrent.ExecutorService senders = Executors.newFixedThreadPool(16);
            try {
                List<java.util.concurrent.Future<?>> rounds = new ArrayList<>();
                for (int sender = 0; sender < 16; sender++) {
                    int offset = sender;
                    rounds.add(senders.submit(() -> {
                        for (int n = 0; n < registered + 10; n++) {
                            int i = (n + offset * 3) % (registered + 10);
                            String id = "fleet-" + i;
                            try {
                                long ttl = follower.heartbeat("fleet", id).ttlSeconds();
                                if (i >= registered || ttl != 30 + i) {
                                    wrong.add(id + " renewed with ttl " + ttl);
                                }
                                renewed.incrementAndGet();
                            } catch (NotFoundException e) {
                                if (i < registered) {
                                    wrong.add(id + " not found");
                                }
                                unknown.incrementAndGet();
                            }
                        }
                    }));
                }
                for (java.util.concurrent.Future<?> round : rounds) {
                    round.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                }
            } finally {
                senders.shutdownNow();
            }
            assertThat(wrong).isEmpty();
            assertThat(renewed.get()).isEqualTo(16 * registered);
            assertThat(unknown.get()).isEqualTo(16 * 10);

            // The time left on every lease of the service, asked of the leader by a follower in one call.
            io.roster.testing.RosterHttp followerHttp = new io.roster.testing.RosterHttp(cluster.followers().get(0).clientUrl());
            io.roster.testing.RosterHttp.Reply leases = followerHttp.get("/v1/services/fleet/leases");
            assertThat(leases.status()).as(leases.toString()).isEqualTo(200);
            tools.jackson.databind.JsonNode remaining = leases.json().get("remainingMillis");
            assertThat(remaining.size()).isEqualTo(registered);
            for (int i = 0; i < registered; i++) {
                assertThat(remaining.get("fleet-" + i).asLong()).as("fleet-%d", i).isBetween(1L, (30L + i) * 1000);
            }
        }
    }

    @Test
    void aWatchThatResumesOnAnotherMemberMissesNothingAndSeesNothingTwice(TestInfo test) {
        TestCluster cluster = cluster(test);
        TestMember first = cluster.followers().get(0);
        List<String> endpoints = new ArrayList<>();
        endpoints.add(first.clientUrl());
        cluster.members().stream().filter(member -> member != first).forEach(member -> endpoints.add(member.clientUrl()));
        List<KeyEvent> seen = new CopyOnWriteArrayList<>();
        long start;
        try (RosterClient client = cluster.client()) {
            start = client.put("watched/start", "0").revision();
        }
        try (RosterClient watching = RosterClient.builder().endpoints(endpoints).build();
             Watch watch = watching.watchPrefix("watched/", start, collect(seen))) {
            try (Writes writes = new Writes("watched/", cluster::client)) {
                await("writes before the watched member goes").atMost(WAIT).until(() -> writes.acknowledgedCount() >= 20);
                first.kill();
                int beforeResume = writes.acknowledgedCount();
                await("writes after it went").atMost(WAIT).until(() -> writes.acknowledgedCount() >= beforeResume + 20);
                first.start();
                writes.close();
                assertThat(writes.unexpected()).isEmpty();
                long last;
                try (RosterClient client = cluster.client()) {
                    last = client.put("watched/end", "1").revision();
                }
                await("the watch reached the last write").atMost(WAIT).until(() -> watch.lastRevision() >= last);

                List<Long> revisions = seen.stream().map(KeyEvent::modRevision).toList();
                assertThat(revisions).as("revisions seen, in order, each once").isSorted().doesNotHaveDuplicates();
                assertThat(revisions).as("every acknowledged write seen").containsAll(writes.acknowledged().values());
                assertThat(seen).allSatisfy(event -> assertThat(event.type()).isEqualTo(EventType.PUT));
            }
        }
    }

    @Test
    void theLeaderRemovedThroughItselfAndAddedBackWhileWritesContinueLosesNoWrite(TestInfo test) {
        TestCluster cluster = cluster(test);
        TestMember leaving = cluster.leader();
        try (Writes writes = new Writes("membership/", cluster::client)) {
            await("writes before the change").atMost(WAIT).until(() -> writes.acknowledgedCount() >= 20);
            // The leader, through itself, as `rosterctl --endpoints=<it> member remove` would: it steps down, and must
            // learn from the members left that the next leader took it out, since no leader talks to it any more.
            try (RosterClient itself = leaving.client()) {
                itself.removeMember(memberNamed(itself, leaving.name()).id(), false);
            }
            leaving.stop();
            int beforeAdding = writes.acknowledgedCount();
            await("writes while two members are left").atMost(WAIT).until(() -> writes.acknowledgedCount() >= beforeAdding + 20);

            TestMember rejoined = cluster.addMember(leaving.name());
            await("three started voters again").atMost(WAIT).untilAsserted(() -> {
                try (RosterClient client = cluster.client()) {
                    List<Member> members = client.members().members();
                    assertThat(members).extracting(Member::name).containsExactlyInAnyOrder("n1", "n2", "n3");
                    assertThat(members).allSatisfy(member -> {
                        assertThat(member.status()).isEqualTo("started");
                        assertThat(member.isLearner()).isFalse();
                    });
                }
            });
            int afterAdding = writes.acknowledgedCount();
            await("writes with the member back").atMost(WAIT).until(() -> writes.acknowledgedCount() >= afterAdding + 20);
            writes.close();
            assertThat(writes.unexpected()).isEmpty();
            assertThat(rejoined.isRunning()).isTrue();
            assertEveryMemberHolds(cluster, writes.acknowledged());
        }
    }

    /** Whether a member's own state has applied the registration at {@code registered} and no longer holds the instance. */
    private static boolean expired(RosterClient member, String instanceId, long registered) {
        Lookup local = member.lookup("billing", LookupQuery.all().withConsistency(Consistency.SERIALIZABLE));
        return local.revision() >= registered && local.instances().stream().noneMatch(instance -> instance.instanceId().equals(instanceId));
    }

    /** Whether a member's own state (a serializable lookup through a client of it alone) holds the instance of {@code billing}. */
    private static boolean holds(RosterClient member, String instanceId) {
        return member.lookup("billing", LookupQuery.all().withConsistency(Consistency.SERIALIZABLE)).instances().stream()
                .anyMatch(instance -> instance.instanceId().equals(instanceId));
    }

    private static Member memberNamed(RosterClient client, String name) {
        return client.members().members().stream().filter(member -> name.equals(member.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no member named " + name));
    }

    /** Each running member, read locally once it has caught up, holds every acknowledged write at its revision. */
    private static void assertEveryMemberHolds(TestCluster cluster, Map<String, Long> acknowledged) {
        for (TestMember member : cluster.running()) {
            try (RosterClient on = member.client()) {
                await(acknowledged.size() + " acknowledged writes on " + member.name()).atMost(WAIT).untilAsserted(() -> {
                    for (Map.Entry<String, Long> write : acknowledged.entrySet()) {
                        KeyValueResult read = on.get(write.getKey(), Consistency.SERIALIZABLE);
                        assertThat(read.kv().modRevision()).as("%s on %s", write.getKey(), member.name()).isEqualTo(write.getValue());
                    }
                });
            }
        }
    }

    private static <E, S> WatchListener<E, S> collect(List<E> seen) {
        return new WatchListener<>() {
            @Override
            public void onEvent(E event) {
                seen.add(event);
            }

            @Override
            public void onRelist(S snapshot) {
                throw new AssertionError("the watch had to list again: history it should have resumed from was gone");
            }
        };
    }
}
