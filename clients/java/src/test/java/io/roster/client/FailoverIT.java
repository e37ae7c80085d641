package io.roster.client;

import io.roster.testkit.RosterCluster;
import io.roster.testkit.RosterServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The client when the member it uses is killed with SIGKILL; each test restarts what it killed. */
class FailoverIT {

    private static final Duration EVENTUALLY = Duration.ofSeconds(30);

    private static RosterCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RosterCluster.builder().members(3).start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Before rather than after each test: the last test's victim need not be restarted only to be killed. */
    @BeforeEach
    void restartWhatWasKilled() {
        cluster.members().stream().filter(member -> !member.isRunning())
                .forEach(member -> member.restart(RosterCluster.DEFAULT_READY_TIMEOUT));
    }

    /** The endpoints with this member first: the client uses it until it fails. */
    private static List<String> startingWith(RosterServer first) {
        return Stream.concat(Stream.of(first.endpoint()),
                cluster.endpoints().stream().filter(endpoint -> !endpoint.equals(first.endpoint()))).toList();
    }

    @Test
    void readsAndWritesGoOnWhenTheLeaderInUseIsKilled() {
        RosterServer leader = cluster.leader();
        try (RosterClient roster = RosterClient.builder().endpoints(startingWith(leader)).build()) {
            roster.put("failover/k", "before");
            Map<String, Object> outcomes = new LinkedHashMap<>();

            for (int i = 0; i < 40; i++) {
                if (i == 10) {
                    leader.kill9();
                }
                String key = "failover/create-" + i;
                try {
                    outcomes.put(key, roster.compareAndSwap(key, "v" + i, 0));
                } catch (ClusterUnavailableException unavailable) {
                    outcomes.put(key, unavailable);
                }
            }

            // reads keep working: a serializable one at once, a linearizable one once a new leader is elected
            assertThat(roster.get("failover/k", Consistency.SERIALIZABLE).kv().value()).isEqualTo("before");
            await().atMost(EVENTUALLY).ignoreException(ClusterUnavailableException.class)
                    .until(() -> roster.get("failover/k").kv().value().equals("before"));
            // a write that failed said honestly whether it may have been applied
            outcomes.forEach((key, outcome) -> {
                Optional<KeyValue> stored = find(roster, key);
                if (outcome instanceof KeyValueResult written) {
                    assertThat(stored).as(key).contains(written.kv());
                } else if (!((ClusterUnavailableException) outcome).mayHaveApplied()) {
                    assertThat(stored).as(key + " failed with " + outcome + " and mayHaveApplied=false").isEmpty();
                }
            });
            assertThat(outcomes.values()).as("writes after the kill succeed once a leader is elected")
                    .last().isInstanceOf(KeyValueResult.class);
        }
    }

    @Test
    void aWatchResumesWithNoGapAndNoRepeatAcrossAKillOfItsMember() {
        watchAcross("resume-kill/", RosterServer::kill9);
    }

    /** The member ends its streams with a {@code resume} event as it shuts down: the watch resumes, it does not list again. */
    @Test
    void aWatchResumesWithNoGapAndNoRepeatAcrossAGracefulStopOfItsMember() {
        watchAcross("resume-stop/", RosterServer::stop);
    }

    private void watchAcross(String prefix, Consumer<RosterServer> end) {
        RosterServer watched = cluster.followers().get(0);
        RosterServer leader = cluster.leader();
        try (RosterClient watcher = RosterClient.builder().endpoints(startingWith(watched)).build();
             RosterClient writer = RosterClient.builder().endpoints(startingWith(leader)).build()) {
            long from = writer.put(prefix + "seed", "0").revision();
            Recorder<KeyEvent, RangeResult> recorder = new Recorder<>();
            try (Watch watch = watcher.watchPrefix(prefix, from, recorder)) {
                int writes = 60;
                for (int i = 0; i < writes; i++) {
                    if (i == 20) {
                        await().atMost(EVENTUALLY).until(() -> recorder.events.size() >= 10); // it is connected to the member
                        end.accept(watched);
                    }
                    createOnce(writer, prefix + "k" + i);
                }

                List<Long> written = writer.getPrefix(prefix + "k").kvs().stream().map(KeyValue::createRevision).sorted().toList();
                assertThat(written).hasSize(writes);
                await().atMost(EVENTUALLY).until(() -> recorder.events.size() >= writes);
                assertThat(recorder.events).extracting(KeyEvent::revision).containsExactlyElementsOf(written);
                assertThat(recorder.relists).isEmpty();
                assertThat(watch.lastRevision()).isEqualTo(written.get(writes - 1));
            }
        }
    }

    /** Creates the key exactly once, whatever the failover does to the first attempts. */
    private static void createOnce(RosterClient writer, String key) {
        await().atMost(EVENTUALLY).ignoreException(ClusterUnavailableException.class).until(() -> {
            try {
                writer.compareAndSwap(key, "v", 0);
            } catch (CompareFailedException alreadyCreated) {
                // an attempt that reported mayHaveApplied did apply
            }
            return true;
        });
    }

    private static Optional<KeyValue> find(RosterClient roster, String key) {
        try {
            return Optional.of(roster.get(key).kv());
        } catch (NotFoundException absent) {
            return Optional.empty();
        }
    }
}
