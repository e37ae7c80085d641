package io.roster.client;

import io.roster.testkit.RosterCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Every call of the client against one real 3-member cluster that requires a token and keeps a short watch
 * history (so that a watch from an old revision meets a 410). Each test uses its own keys and services.
 */
class ClientApiIT {

    private static final String TOKEN = "client-api-it-0123456789abcdefghijklmnop";
    private static final int HISTORY_EVENTS = 20;
    private static final Duration EVENTUALLY = Duration.ofSeconds(15);

    private static RosterCluster cluster;
    private static RosterClient roster;

    @BeforeAll
    static void startCluster() {
        cluster = RosterCluster.builder().members(3).env("ROSTER_AUTH_TOKENS", TOKEN)
                .arg("--roster.watch.history-events=" + HISTORY_EVENTS).start();
        roster = RosterClient.builder().endpoints(cluster.endpoints()).token(TOKEN).build();
    }

    @AfterAll
    static void stopCluster() {
        if (roster != null) {
            roster.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    // ---- key-value ----

    @Test
    void putGetListAndDelete() {
        KeyValueResult put = roster.put("kv/app/db", "postgres://db:5432/app");
        roster.put("kv/app/cache", "redis://cache");

        assertThat(put.kv()).isEqualTo(new KeyValue("kv/app/db", "postgres://db:5432/app", put.revision(), put.revision(), 1, null));
        assertThat(roster.get("kv/app/db").kv().value()).isEqualTo("postgres://db:5432/app");
        assertThat(roster.get("kv/app/db", Consistency.SERIALIZABLE).kv().modRevision()).isEqualTo(put.revision());
        RangeResult range = roster.getPrefix("kv/app/");
        assertThat(range.kvs()).extracting(KeyValue::key).containsExactly("kv/app/cache", "kv/app/db");
        assertThat(roster.getPrefix("kv/app/", 1, Consistency.LINEARIZABLE)).satisfies(cut -> {
            assertThat(cut.kvs()).hasSize(1);
            assertThat(cut.more()).isTrue();
        });

        assertThat(roster.delete("kv/app/db").deleted()).isEqualTo(1);
        assertThatThrownBy(() -> roster.get("kv/app/db")).isInstanceOf(NotFoundException.class);
        assertThat(roster.deletePrefix("kv/app/").deleted()).isEqualTo(1);
        assertThat(roster.getPrefix("kv/app/").kvs()).isEmpty();
    }

    @Test
    void keysWithSpacesAndPercentSignsRoundTrip() {
        roster.put("kv/odd key/100%", "value with spaces");

        assertThat(roster.get("kv/odd key/100%").kv().value()).isEqualTo("value with spaces");
    }

    @Test
    void compareAndSwapSucceedsOnlyAgainstTheModRevisionItNames() {
        KeyValueResult created = roster.compareAndSwap("cas/lock", "worker-1", 0);

        assertThatThrownBy(() -> roster.compareAndSwap("cas/lock", "worker-2", 0))
                .isInstanceOfSatisfying(CompareFailedException.class, failed ->
                        assertThat(failed.current()).get().extracting(KeyValue::value).isEqualTo("worker-1"));
        KeyValueResult swapped = roster.compareAndSwap("cas/lock", "worker-2", created.kv().modRevision());
        assertThat(swapped.kv().version()).isEqualTo(2);
        assertThatThrownBy(() -> roster.delete("cas/lock", created.kv().modRevision())).isInstanceOf(CompareFailedException.class);
        assertThat(roster.delete("cas/lock", swapped.kv().modRevision()).deleted()).isEqualTo(1);
    }

    @Test
    void anInvalidRequestNamesTheFieldAtFault() {
        assertThatThrownBy(() -> roster.getPrefix("kv/", 1_000_000, Consistency.LINEARIZABLE))
                .isInstanceOfSatisfying(InvalidRequestException.class, invalid -> assertThat(invalid.field()).contains("limit"));
    }

    // ---- leases ----

    @Test
    void aLeaseKeepsItsKeysUntilItIsRevoked() {
        Lease lease = roster.grantLease(Duration.ofSeconds(30));
        roster.put(PutRequest.of("leased/a", "1").withLease(lease.id()));

        assertThat(roster.keepAlive(lease.id())).isEqualTo(new Lease(lease.id(), 30));
        LeaseInfo info = roster.leaseInfo(lease.id());
        assertThat(info.keys()).containsExactly("leased/a");
        assertThat(info.remainingSeconds()).isBetween(1L, 30L);
        assertThat(roster.get("leased/a").kv().lease()).isEqualTo(lease.id());

        assertThat(roster.revokeLease(lease.id()).deletedKeys()).isEqualTo(1);
        assertThatThrownBy(() -> roster.get("leased/a")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> roster.keepAlive(lease.id())).isInstanceOf(NotFoundException.class);
    }

    // ---- registry ----

    @Test
    void anInstanceLivesFromRegistrationToDeregistration() {
        InstanceWrite first = roster.register("life", "life-1", InstanceSpec.of("10.1.2.3", 8080).withTtlSeconds(30)
                .withZone("eu-1a").withMetadata(Map.of("version", "1.4.2")));
        InstanceWrite again = roster.register("life", "life-1", InstanceSpec.of("10.1.2.3", 8080).withTtlSeconds(30)
                .withZone("eu-1a").withMetadata(Map.of("version", "1.4.2")));

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(first.instance()).satisfies(instance -> {
            assertThat(instance.status()).isEqualTo(InstanceStatus.UP);
            assertThat(instance.weight()).isEqualTo(100);
            assertThat(instance.metadata()).containsEntry("version", "1.4.2");
        });
        assertThat(roster.heartbeat("life", "life-1")).isEqualTo(new Heartbeat(30, 30));
        InstanceWrite patched = roster.patch("life", "life-1", InstancePatch.status(InstanceStatus.OUT_OF_SERVICE));
        assertThat(patched.instance().status()).isEqualTo(InstanceStatus.OUT_OF_SERVICE);
        assertThat(roster.instance("life", "life-1", Consistency.LINEARIZABLE).modRevision()).isEqualTo(patched.revision());
        assertThat(roster.services().services()).contains(new ServiceSummary("life", 1, 0));

        long deregistered = roster.deregister("life", "life-1");
        assertThat(deregistered).isGreaterThan(patched.revision());
        assertThatThrownBy(() -> roster.heartbeat("life", "life-1")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void lookupsFilterByStatusZoneAndMetadata() {
        roster.register("shop", "a", InstanceSpec.of("10.0.0.1", 80).withZone("z1").withMetadata(Map.of("v", "1")));
        roster.register("shop", "b", InstanceSpec.of("10.0.0.2", 80).withZone("z2").withMetadata(Map.of("v", "2")));
        roster.register("shop", "c", InstanceSpec.of("10.0.0.3", 80).withZone("z1").withStatus(InstanceStatus.DOWN));

        assertThat(ids(roster.lookup("shop", LookupQuery.all()))).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(ids(roster.lookup("shop", LookupQuery.up()))).containsExactlyInAnyOrder("a", "b");
        assertThat(ids(roster.lookup("shop", LookupQuery.all().withZone("z1")))).containsExactlyInAnyOrder("a", "c");
        assertThat(ids(roster.lookup("shop", LookupQuery.up().withMetadata(Map.of("v", "2"))))).containsExactly("b");
        assertThat(ids(roster.lookup("shop", LookupQuery.up().withZone("z1").withConsistency(Consistency.SERIALIZABLE))))
                .containsExactly("a");
        assertThat(roster.lookup("nothing-here", LookupQuery.all()).instances()).isEmpty();
    }

    @Test
    void aBlockingLookupAnswersAsSoonAsTheServiceChanges() {
        Lookup before = roster.lookup("blocking", LookupQuery.all());
        CompletableFuture<Lookup> waiting = CompletableFuture.supplyAsync(() ->
                roster.awaitLookup("blocking", LookupQuery.all(), before.revision(), Duration.ofSeconds(60)));

        roster.register("blocking", "b-1", InstanceSpec.of("10.0.0.9", 80));

        Lookup after = waiting.orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(ids(after)).containsExactly("b-1");
        assertThat(after.revision()).isGreaterThan(before.revision());
    }

    @Test
    void aBlockingLookupWithNoChangeAnswersWhenTheWaitIsOver() {
        roster.register("quiet", "q-1", InstanceSpec.of("10.0.0.8", 80));
        Lookup now = roster.lookup("quiet", LookupQuery.all());

        Lookup unchanged = roster.awaitLookup("quiet", LookupQuery.all(), now.revision(), Duration.ofMillis(300));

        assertThat(ids(unchanged)).containsExactly("q-1");
    }

    // ---- watches ----

    @Test
    void aPrefixWatchDeliversEachChangeInRevisionOrder() {
        long from = roster.put("watched/seed", "0").revision();
        Recorder<KeyEvent, RangeResult> recorder = new Recorder<>();
        try (Watch watch = roster.watchPrefix("watched/", from, recorder)) {
            long a = roster.put("watched/a", "1").revision();
            long b = roster.put("watched/b", "2").revision();
            long deleted = roster.delete("watched/a").revision();
            roster.put("elsewhere/x", "not watched");

            await().atMost(EVENTUALLY).until(() -> recorder.events.size() >= 3);
            assertThat(recorder.events).extracting(KeyEvent::type, KeyEvent::key, KeyEvent::value, KeyEvent::revision)
                    .containsExactly(
                            tuple(EventType.PUT, "watched/a", "1", a),
                            tuple(EventType.PUT, "watched/b", "2", b),
                            tuple(EventType.DELETE, "watched/a", null, deleted));
            assertThat(watch.lastRevision()).isEqualTo(deleted);
        }
    }

    @Test
    void serviceWatchesSeeRegistrationsAndDeregistrations() {
        long from = roster.status().revision();
        Recorder<RegistryEvent, InstanceSnapshot> one = new Recorder<>();
        Recorder<RegistryEvent, InstanceSnapshot> all = new Recorder<>();
        try (Watch service = roster.watchService("pay", from, one); Watch services = roster.watchServices(from, all)) {
            roster.register("pay", "p-1", InstanceSpec.of("10.0.0.5", 443).withSecure(true));
            roster.register("mail", "m-1", InstanceSpec.of("10.0.0.6", 25));
            roster.deregister("pay", "p-1");

            await().atMost(EVENTUALLY).until(() -> one.events.size() >= 2 && all.events.size() >= 3);
            assertThat(one.events).extracting(RegistryEvent::type, RegistryEvent::instanceId, RegistryEvent::reason)
                    .containsExactly(tuple(EventType.PUT, "p-1", "registered"),
                            tuple(EventType.DELETE, "p-1", "deregistered"));
            assertThat(one.events.get(0).instance().secure()).isTrue();
            assertThat(all.events).extracting(RegistryEvent::service).containsExactly("pay", "mail", "pay");
        }
    }

    @Test
    void aWatchFromACompactedRevisionListsAgainThenFollows() {
        long old = roster.put("compacted/first", "0").revision();
        IntStream.range(0, HISTORY_EVENTS + 5).forEach(i -> roster.put("compacted/k" + i, "v" + i));
        Recorder<KeyEvent, RangeResult> recorder = new Recorder<>();
        try (Watch watch = roster.watchPrefix("compacted/", old, recorder)) {
            await().atMost(EVENTUALLY).until(() -> !recorder.relists.isEmpty());
            RangeResult listed = recorder.relists.get(0);
            assertThat(listed.kvs()).hasSize(HISTORY_EVENTS + 6);

            long after = roster.put("compacted/after", "1").revision();

            await().atMost(EVENTUALLY).until(() -> !recorder.events.isEmpty());
            assertThat(recorder.events).extracting(KeyEvent::revision).containsExactly(after);
            assertThat(listed.revision()).isLessThan(after);
        }
    }

    // ---- tokens ----

    @Test
    void aWrongTokenGetsAnExceptionThatNamesTheFix() {
        try (RosterClient wrong = RosterClient.builder().endpoints(cluster.endpoints()).token("not-the-token-0123456789abcdef").build();
             RosterClient none = RosterClient.builder().endpoints(cluster.endpoints()).build()) {
            assertThatThrownBy(() -> wrong.get("any")).isInstanceOf(UnauthorizedException.class)
                    .hasMessageContaining("not among the members' roster.auth.tokens");
            assertThatThrownBy(() -> none.services()).isInstanceOf(UnauthorizedException.class)
                    .hasMessageContaining("give one with RosterClient.builder().token");
        }
    }

    @Test
    void aWatchWithAWrongTokenFailsRatherThanRetrying() {
        try (RosterClient wrong = RosterClient.builder().endpoints(cluster.endpoints()).token("not-the-token-0123456789abcdef").build()) {
            Recorder<KeyEvent, RangeResult> recorder = new Recorder<>();
            Watch watch = wrong.watchPrefix("any/", -1, recorder);

            await().atMost(EVENTUALLY).until(() -> !recorder.failures.isEmpty());
            assertThat(recorder.failures.get(0)).isInstanceOf(UnauthorizedException.class);
            assertThat(watch.isActive()).isFalse();
        }
    }

    // ---- cluster ----

    @Test
    void membersStatusAndSnapshot() {
        List<Member> members = roster.members().members();
        assertThat(members).hasSize(3).extracting(Member::name).containsExactlyInAnyOrder("n1", "n2", "n3");
        assertThat(members).filteredOn(Member::isLeader).hasSize(1);

        Status status = roster.status(cluster.member(2).endpoint());
        assertThat(status.name()).isEqualTo("n2");
        assertThat(status.leader()).isNotNull();

        long written = roster.put("snapshot/k", "v").revision();
        Snapshot snapshot = roster.snapshot();
        assertThat(snapshot.revision()).isGreaterThanOrEqualTo(written);
        assertThat(new String(snapshot.data(), 0, 8, java.nio.charset.StandardCharsets.US_ASCII)).startsWith("ROSTER");
    }

    private static List<String> ids(Lookup lookup) {
        return lookup.instances().stream().map(Instance::instanceId).toList();
    }
}
