package io.roster.chaos;

import io.roster.testing.ProcessCluster;
import io.roster.testing.RosterHttp;
import io.roster.testing.RosterProcess;
import io.roster.testing.history.History;
import io.roster.testing.history.LinearizabilityChecker;
import io.roster.testing.history.Operation;
import io.roster.testing.net.Fault;
import io.roster.testing.net.Network;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Roster's promises under faults, checked over whole concurrent histories: a 3-member cluster, every link through
 * a fault-injecting proxy, kills, pauses and every kind of partition, alone and mixed, while clients write, read,
 * compare-and-swap and watch. Each run is seeded; a failure prints the seed and leaves the history in
 * {@code target/chaos/<seed>/}.
 *
 * <pre>
 * ./mvnw verify                                                        # one run of about 75 s
 * ./mvnw -Pchaos verify                                                # many seeds, see the profile in pom.xml
 * ./mvnw -Pchaos verify -Droster.chaos.seed=42 -Droster.chaos.runs=1   # the same faults and requests again
 * </pre>
 */
class ChaosIT {

    private static final Logger log = LoggerFactory.getLogger(ChaosIT.class);
    private static final Path RESULTS = Path.of(System.getProperty("roster.chaos.dir", "target/chaos"));

    @Test
    void historiesUnderFaultsAreLinearizableAndLoseNothing() {
        int runs = Integer.getInteger("roster.chaos.runs", 1);
        Duration duration = Duration.ofSeconds(Long.getLong("roster.chaos.seconds", 75));
        Long fixedSeed = Long.getLong("roster.chaos.seed");
        List<Nemesis.Kind> faults = faultsToInject();
        List<String> failures = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            long seed = fixedSeed != null ? fixedSeed + run : ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
            log.info("chaos run {}/{}: seed {}, {} s, faults {}", run + 1, runs, seed, duration.toSeconds(), faults);
            ChaosRun.Result result = ChaosRun.run(new ChaosRun.Settings(seed, duration, 3, 6, 6, faults, null),
                    RESULTS.resolve(Long.toString(seed)));
            log.info("chaos run {}/{}: {}", run + 1, runs, result.summary());
            if (!result.violations().isEmpty()) {
                failures.add(result.summary() + "\n  replay: ./mvnw -Pchaos verify -Droster.chaos.runs=1 -Droster.chaos.seed=" + seed
                        + "\n  " + String.join("\n  ", result.violations()));
            }
        }
        assertThat(failures).as("runs with violations").isEmpty();
    }

    /**
     * The checker can fail: serializable reads from a member cut off from the others return what it had
     * before the partition, after the majority acknowledged a newer value, and the check says so.
     */
    @Test
    void staleReadsFromACutOffMemberAreReportedAsAViolation(TestInfo test) {
        Network network = Network.of("n1", "n2", "n3", "clients");
        try (ProcessCluster cluster = ProcessCluster.builder().members(3).network(network)
                .logDir(RosterProcess.logDirFor(getClass(), test.getTestMethod().orElseThrow().getName())).build()) {
            cluster.start().awaitReady(Duration.ofSeconds(90));
            RosterProcess leader = cluster.leader();
            RosterProcess cutOff = cluster.followers().get(0);
            RosterHttp viaLeader = new RosterHttp(cluster.clientUrl(leader));
            RosterHttp viaCutOff = new RosterHttp(cluster.clientUrl(cutOff));
            History history = new History();
            String key = KvWorkload.PREFIX + "stale";

            write(history, viaLeader, key, "before");
            await("the write reached " + cutOff.name()).atMost(Duration.ofSeconds(30))
                    .until(() -> "before".equals(viaCutOff.kvGet(key, RosterHttp.SERIALIZABLE).string("value")));
            Set<String> others = Set.of("n1", "n2", "n3").stream().filter(name -> !name.equals(cutOff.name()))
                    .collect(java.util.stream.Collectors.toSet());
            network.partition(Set.of(cutOff.name()), others, Fault.DROP);
            write(history, viaLeader, key, "after");
            History.Pending read = history.invokeGet("reader", key);
            RosterHttp.Reply stale = viaCutOff.kvGet(key, RosterHttp.SERIALIZABLE);
            read.ok(Operation.Output.found(stale.string("value"), stale.number("modRevision")));

            assertThat(stale.string("value")).as("what the cut-off member serves as a serializable read").isEqualTo("before");
            LinearizabilityChecker.KeyResult verdict = new LinearizabilityChecker().check(history).key(key);
            assertThat(verdict.verdict()).isEqualTo(LinearizabilityChecker.Verdict.VIOLATION);
            assertThat(verdict.explanation()).contains("reader").contains("before");
        }
    }

    /**
     * Checks a history that a run wrote again, e.g. after a change to the checker:
     * {@code ./mvnw -Pchaos verify -Dit.test=ChaosIT#aRecordedHistoryChecksAgain -Droster.chaos.history=<file>}.
     */
    @Test
    void aRecordedHistoryChecksAgain() {
        String file = System.getProperty("roster.chaos.history", "");
        Assumptions.assumeFalse(file.isBlank(), "no history to check: -Droster.chaos.history=target/chaos/<seed>/history.jsonl");
        List<Operation> operations = History.read(Path.of(file)).operations();
        assertThat(ChaosRun.operationViolations(operations)).as("violations in %s (%d operations)", file, operations.size()).isEmpty();
    }

    private static void write(History history, RosterHttp client, String key, String value) {
        History.Pending pending = history.invokePut("writer", key, value);
        RosterHttp.Reply response = client.kvPut(key, value);
        assertThat(response.status()).as("put %s=%s: %s", key, value, response).isIn(200, 201);
        pending.ok(Operation.Output.written(response.number("modRevision")));
    }

    private static List<Nemesis.Kind> faultsToInject() {
        String kinds = System.getProperty("roster.chaos.faults", "");
        return kinds.isBlank() ? List.of(Nemesis.Kind.values())
                : Arrays.stream(kinds.split(",")).map(String::trim).map(Nemesis.Kind::valueOf).toList();
    }
}
