package io.roster.registry;

import io.roster.testing.RosterHttp;
import io.roster.testing.cluster.ApplicationCluster;
import io.roster.testing.cluster.TestMember;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance registered again (a new lease each time, as a client does after a registration timed out, or
 * when a late copy of an old registration lands) while its heartbeats go on is registered all along: no
 * heartbeat may answer 404 because the lease it read was replaced before the leader saw it. Fault runs
 * (ChaosIT) saw that as a false expiry when a registration held up by a one-way partition landed at the
 * heal, between a heartbeat's read barrier and its renewal.
 */
class HeartbeatDuringReRegistrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String INSTANCE = "/v1/services/churn-svc/instances/i1";
    private static final String REGISTRATION = "{\"host\":\"10.0.0.1\",\"port\":8080,\"ttlSeconds\":10}";
    private static final int REGISTRATIONS = 300;
    /** Long enough that a loaded machine does not change leaders mid-test, which would answer 503s. */
    private static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(3);

    /** Its own threads: the requests block, and the common pool may have fewer threads than they need. */
    private final ExecutorService requests = Executors.newCachedThreadPool();
    private ApplicationCluster cluster;

    @AfterEach
    void stopCluster() {
        requests.shutdownNow();
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void heartbeatsThroughEveryMemberKeepSucceedingWhileTheInstanceIsRegisteredAgainAndAgain() {
        cluster = ApplicationCluster.start(3, ELECTION_TIMEOUT, Map.of());
        List<TestMember> members = cluster.running();
        assertThat(new RosterHttp(cluster.leader().clientUrl()).put(INSTANCE, REGISTRATION).status()).isEqualTo(201);

        AtomicBoolean registering = new AtomicBoolean(true);
        List<CompletableFuture<Map<Integer, Integer>>> heartbeats = new ArrayList<>();
        for (TestMember member : members) {
            heartbeats.add(CompletableFuture.supplyAsync(() -> heartbeatWhile(registering, new RosterHttp(member.clientUrl())), requests));
        }
        RosterHttp registrar = new RosterHttp(cluster.followers().get(0).clientUrl());
        CompletableFuture<Map<Integer, Integer>> registrations = CompletableFuture.supplyAsync(
                () -> statuses(REGISTRATIONS, () -> registrar.put(INSTANCE, REGISTRATION)), requests);
        registrations.whenComplete((done, error) -> registering.set(false));

        assertThat(registrations).succeedsWithin(WAIT).satisfies(byStatus -> assertThat(byStatus.keySet())
                .as("registrations by status: %s", byStatus).contains(200).isSubsetOf(200, 503));
        String leader = cluster.leader().name();
        for (int i = 0; i < members.size(); i++) {
            String through = members.get(i).name() + (members.get(i).name().equals(leader) ? " (the leader)" : " (a follower)");
            assertThat(heartbeats.get(i)).succeedsWithin(WAIT)
                    .satisfies(byStatus -> assertThat(byStatus.keySet()).as("heartbeats through %s, by status: %s", through, byStatus)
                            .contains(200).isSubsetOf(200, 503));
        }
    }

    private static Map<Integer, Integer> heartbeatWhile(AtomicBoolean registering, RosterHttp client) {
        Map<Integer, Integer> byStatus = new TreeMap<>();
        while (registering.get()) {
            byStatus.merge(client.request("PUT", INSTANCE + "/heartbeat", null).status(), 1, Integer::sum);
        }
        return byStatus;
    }

    private static Map<Integer, Integer> statuses(int count, Supplier<RosterHttp.Reply> request) {
        Map<Integer, Integer> byStatus = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            byStatus.merge(request.get().status(), 1, Integer::sum);
        }
        return byStatus;
    }
}
