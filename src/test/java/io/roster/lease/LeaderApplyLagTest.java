package io.roster.lease;

import io.roster.kv.KvService;
import io.roster.raft.RaftNode;
import io.roster.registry.RegistryKeys;
import io.roster.registry.RegistryService;
import io.roster.store.KeyEvent;
import io.roster.store.KeyValue;
import io.roster.store.RosterStore;
import io.roster.store.StoreListener;
import io.roster.store.command.Command;
import io.roster.testing.RosterHttp;
import io.roster.testing.cluster.ApplicationCluster;
import io.roster.testing.cluster.TestMember;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A follower applies an entry as soon as it learns that it is committed, which can be before the leader has
 * applied it. An instance registered again through a follower (a new lease) is then in the follower's copy
 * and not yet on the leader's lease clock: its next heartbeat, and the service's lease times, must wait for
 * the leader rather than call the instance gone. Fault runs (ChaosIT) saw that as a false expiry: a 404 one
 * second after an acknowledged heartbeat, right after a registration that a paused member sent late.
 */
class LeaderApplyLagTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Long enough that a loaded machine keeps its leader while the test holds its state machine. */
    private static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(3);
    /** Long enough for a wrong answer to arrive: without the wait it came in milliseconds. */
    private static final Duration HELD = Duration.ofSeconds(1);
    private static final String SERVICE = "lag-svc";
    private static final String INSTANCE = "/v1/services/" + SERVICE + "/instances/i1";
    private static final String REGISTRATION = "{\"host\":\"10.0.0.1\",\"port\":8080,\"ttlSeconds\":10}";

    private final CountDownLatch leaderApplying = new CountDownLatch(1);
    private final CountDownLatch leaderMayApply = new CountDownLatch(1);
    /** Its own threads: the requests block, and the common pool may have fewer threads than they need. */
    private final ExecutorService requests = Executors.newCachedThreadPool();
    private ApplicationCluster cluster;

    @AfterEach
    void stopCluster() {
        requests.shutdownNow();
        leaderMayApply.countDown();
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aHeartbeatAndLeaseTimesForALeaseTheLeaderHasNotAppliedWaitForItInsteadOfCallingTheInstanceGone() {
        cluster = ApplicationCluster.start(3, ELECTION_TIMEOUT, Map.of());
        TestMember leader = cluster.leader();
        TestMember follower = cluster.followers().get(0);
        RosterHttp viaLeader = new RosterHttp(leader.clientUrl());
        RosterHttp viaFollower = new RosterHttp(follower.clientUrl());
        String key = RegistryKeys.instanceKey(SERVICE, "i1");
        assertThat(viaLeader.put(INSTANCE, REGISTRATION).status()).isEqualTo(201);
        long firstLease = cluster.bean(leader, RosterStore.class).get(key).lease();
        cluster.bean(leader, RosterStore.class).addListener(holdTheLeaderOnANewLeaseFor(key, firstLease));

        CompletableFuture<RosterHttp.Reply> registeredAgain = CompletableFuture.supplyAsync(() -> viaFollower.put(INSTANCE, REGISTRATION),
                requests);
        RosterStore followerStore = cluster.bean(follower, RosterStore.class);
        await("the leader applying the new registration").atMost(WAIT).until(() -> leaderApplying.getCount() == 0);
        await("the follower holding the new lease before the leader's clock does").atMost(WAIT).until(() -> {
            KeyValue instance = followerStore.get(key);
            return instance != null && instance.lease() != firstLease;
        });

        CompletableFuture<RosterHttp.Reply> heartbeat = CompletableFuture.supplyAsync(
                () -> viaFollower.request("PUT", INSTANCE + "/heartbeat", null), requests);
        CompletableFuture<RosterHttp.Reply> leaseTimes = CompletableFuture.supplyAsync(
                () -> viaFollower.get("/v1/services/" + SERVICE + "/leases"), requests);
        await("no answer while the leader has not applied the registration").during(HELD).atMost(HELD.multipliedBy(2))
                .untilAsserted(() -> {
                    assertThat(heartbeat).as("the heartbeat").isNotDone();
                    assertThat(leaseTimes).as("the service's lease times").isNotDone();
                });
        leaderMayApply.countDown();

        assertThat(registeredAgain).succeedsWithin(WAIT).extracting(RosterHttp.Reply::status).isEqualTo(200);
        assertThat(heartbeat).succeedsWithin(WAIT).satisfies(reply -> assertThat(reply.status()).as(reply.body()).isEqualTo(200));
        assertThat(leaseTimes).succeedsWithin(WAIT).satisfies(reply -> {
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.body()).contains("\"i1\":");
        });
    }

    /**
     * A member of the previous release renews an instance with the leader-only heartbeat that release sends
     * ({@link RegistryService#LEGACY_HEARTBEAT}, kept for rolling upgrades). An instance registered through a
     * follower may be in that follower's copy before the leader has applied it: the leader must wait for
     * it rather than answer that it is gone ({-1, -1}, which the old member turns into a 404).
     */
    @Test
    void aLegacyHeartbeatForAnInstanceTheLeaderHasNotAppliedWaitsForItInsteadOfCallingItGone() {
        cluster = ApplicationCluster.start(3, ELECTION_TIMEOUT, Map.of());
        TestMember leader = cluster.leader();
        TestMember follower = cluster.followers().get(0);
        RaftNode followerRaft = cluster.bean(follower, RaftNode.class);
        String key = RegistryKeys.instanceKey(SERVICE, "i1");
        cluster.bean(leader, RosterStore.class).addListener(holdTheLeaderOnAPutOf("hold"));
        KvService leaderKv = cluster.bean(leader, KvService.class);
        CompletableFuture<?> held = leaderKv.put("hold", "1", 0, Command.NO_COMPARE);
        await("the leader applying the held entry").atMost(WAIT).until(() -> leaderApplying.getCount() == 0);

        CompletableFuture<RosterHttp.Reply> registered = CompletableFuture.supplyAsync(
                () -> new RosterHttp(follower.clientUrl()).put(INSTANCE, REGISTRATION), requests);
        RosterStore followerStore = cluster.bean(follower, RosterStore.class);
        await("the follower holding the registration the leader has not applied").atMost(WAIT)
                .until(() -> followerStore.get(key) != null);
        assertThat(cluster.bean(leader, RosterStore.class).get(key)).as("the leader's copy").isNull();

        CompletableFuture<long[]> legacyHeartbeat = followerRaft.callLeader(RegistryService.LEGACY_HEARTBEAT, key);
        await("no answer while the leader has not applied the registration").during(HELD).atMost(HELD.multipliedBy(2))
                .untilAsserted(() -> assertThat(legacyHeartbeat).isNotDone());
        leaderMayApply.countDown();

        assertThat(held).succeedsWithin(WAIT);
        assertThat(registered).succeedsWithin(WAIT).extracting(RosterHttp.Reply::status).isEqualTo(201);
        assertThat(legacyHeartbeat).succeedsWithin(WAIT).isEqualTo(new long[] {10, 10_000});
        assertThat(followerRaft.callLeader(RegistryService.LEGACY_HEARTBEAT, RegistryKeys.instanceKey(SERVICE, "never-registered")))
                .succeedsWithin(WAIT).isEqualTo(new long[] {-1, -1});
    }

    /** Holds the leader's state machine inside a put of {@code key}: every later entry waits behind it. */
    private StoreListener holdTheLeaderOnAPutOf(String key) {
        return new StoreListener() {
            @Override
            public void onKeyEvents(List<KeyEvent> events) {
                if (events.stream().anyMatch(event -> event.type() == KeyEvent.Type.PUT && event.kv().key().equals(key))) {
                    holdTheLeader();
                }
            }
        };
    }

    private void holdTheLeader() {
        leaderApplying.countDown();
        try {
            leaderMayApply.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Holds the leader's state machine inside the new registration: stored, but its lease not yet on the clock. */
    private StoreListener holdTheLeaderOnANewLeaseFor(String key, long firstLease) {
        return new StoreListener() {
            @Override
            public void onKeyEvents(List<KeyEvent> events) {
                boolean newLease = events.stream().anyMatch(event -> event.type() == KeyEvent.Type.PUT && event.kv().key().equals(key)
                        && event.kv().lease() != firstLease);
                if (newLease) {
                    holdTheLeader();
                }
            }
        };
    }
}
