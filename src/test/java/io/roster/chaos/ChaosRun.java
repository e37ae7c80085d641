package io.roster.chaos;

import io.roster.testing.Directories;
import io.roster.testing.ProcessCluster;
import io.roster.testing.RosterHttp;
import io.roster.testing.RosterProcess;
import io.roster.testing.SmallDisk;
import io.roster.testing.history.Entry;
import io.roster.testing.history.History;
import io.roster.testing.history.HistoryChecks;
import io.roster.testing.history.LinearizabilityChecker;
import io.roster.testing.history.Operation;
import io.roster.testing.history.WatchChecks;
import io.roster.testing.history.WatchLog;
import io.roster.testing.net.Network;
import org.awaitility.Awaitility;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * One seeded run: a process cluster whose every link runs through a {@link Network}, a key-value workload and
 * watchers through any member, and the {@link Nemesis} injecting faults; then everything healed, a final
 * linearizable read of every key, and every check over the history. A run that finds a violation writes its
 * history, watch logs and fault log to its directory, named by its seed, so that it can be checked again.
 */
final class ChaosRun {

    /**
     * @param readConsistency null for the default (linearizable); {@link RosterClient#SERIALIZABLE} to read a
     *                        member's local state, which a partition can leave stale
     */
    record Settings(long seed, Duration duration, int members, int clients, int keys, List<Nemesis.Kind> faults,
                    String readConsistency) {
    }

    /** What a run did and found; {@code violations} is empty when every check passed. */
    record Result(Settings settings, int operations, Map<Operation.Outcome, Long> outcomes, int watchEvents,
                  Map<Nemesis.Kind, Integer> injections, int expiriesAfterSilence, List<String> violations, Path directory) {

        String summary() {
            return String.format("seed %d: %d operations %s, %d watch events, faults %s, %d instances expired after a silent TTL,"
                            + " %d violations; files in %s", settings.seed(), operations, outcomes, watchEvents, injections,
                    expiriesAfterSilence, violations.size(), directory);
        }
    }

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration OPERATION_PAUSE = Duration.ofMillis(40);
    private static final int INSTANCES = 5;
    private static final int DISK_MEGABYTES = 256;

    private ChaosRun() {
    }

    static Result run(Settings settings, Path directory) {
        List<String> names = IntStream.rangeClosed(1, settings.members()).mapToObj(i -> "n" + i).toList();
        List<String> networkNames = new ArrayList<>(names);
        networkNames.add("clients");
        Network network = new Network(networkNames);
        Path dataRoot = createDataRoot();
        Map<String, SmallDisk> disks = settings.faults().contains(Nemesis.Kind.DISK_FULL) ? smallDisks(dataRoot, names) : Map.of();
        List<Nemesis.Kind> faults = disks.isEmpty()
                ? settings.faults().stream().filter(kind -> kind != Nemesis.Kind.DISK_FULL).toList() : settings.faults();
        try (ProcessCluster cluster = ProcessCluster.builder()
                .members(settings.members())
                .dataRoot(dataRoot)
                .network(network)
                .electionTimeout(Duration.ofMillis(1000))
                .env("ROSTER_RAFT_REQUEST_TIMEOUT", "2s")
                .logDir(directory.resolve("logs"))
                .build()) {
            cluster.start().awaitReady(READY_TIMEOUT);
            cluster.leader();
            long startRevision = status(cluster.running().get(0)).path("revision").asLong();
            History history = new History();
            long start = System.nanoTime();
            List<KvWatcher> watchers = new ArrayList<>();
            Nemesis nemesis = new Nemesis(cluster, faults, disks, settings.seed(), start);
            List<String> workloadAnomalies;
            RegistryHeartbeats heartbeats = new RegistryHeartbeats(() -> clientUrls(cluster), url -> memberAt(cluster, url), start)
                    .start(INSTANCES, settings.seed());
            try (KvWorkload workload = new KvWorkload(history, () -> clientUrls(cluster), settings.keys(), settings.readConsistency(),
                    settings.seed())) {
                for (int i = 0; i < 2; i++) {
                    watchers.add(new KvWatcher("w" + i, () -> clientUrls(cluster), startRevision, settings.seed() + i));
                }
                workload.start(settings.clients(), OPERATION_PAUSE);
                nemesis.runUntil(start + settings.duration().toNanos());
                healEverything(cluster, network);
                workloadAnomalies = workload.anomalies();
            } catch (RuntimeException | AssertionError e) {
                writeFiles(directory, history, List.of(), nemesis.log(), List.of("the run broke off: " + e), "seed " + settings.seed());
                watchers.forEach(KvWatcher::close);
                throw new AssertionError("seed " + settings.seed() + ": the run broke off (files in " + directory + "): " + e.getMessage(), e);
            } finally {
                heartbeats.close();
            }
            Map<String, Optional<Entry>> finalReads = finalReads(cluster, history, settings.keys());
            long finalRevision = status(cluster.leader()).path("revision").asLong();
            awaitWatchersAt(watchers, finalRevision);
            watchers.forEach(KvWatcher::close);

            List<Operation> operations = history.operations();
            List<WatchLog> logs = watchers.stream().map(KvWatcher::log).toList();
            List<String> violations = new ArrayList<>();
            violations.addAll(operationViolations(operations));
            violations.addAll(HistoryChecks.noAcknowledgedWriteLost(operations, finalReads));
            violations.addAll(WatchChecks.all(operations, logs));
            workloadAnomalies.forEach(anomaly -> violations.add("unexpected answer: " + anomaly));
            heartbeats.falseExpiries().forEach(expiry -> violations.add("false expiry: " + expiry));
            heartbeats.anomalies().forEach(anomaly -> violations.add("unexpected registry answer: " + anomaly));

            Map<Operation.Outcome, Long> outcomes = new LinkedHashMap<>();
            operations.forEach(operation -> outcomes.merge(operation.outcome(), 1L, Long::sum));
            Result result = new Result(settings, operations.size(), outcomes,
                    logs.stream().mapToInt(log -> (int) log.items().stream().filter(WatchLog.Event.class::isInstance).count()).sum(),
                    nemesis.injections(), heartbeats.expiriesAfterSilence().values().stream().mapToInt(Integer::intValue).sum(),
                    violations, directory);
            writeFiles(directory, history, logs, nemesis.log(), violations, result.summary());
            return result;
        } finally {
            disks.values().forEach(SmallDisk::close);
            Directories.deleteQuietly(dataRoot);
        }
    }

    private static Path createDataRoot() {
        try {
            return Files.createTempDirectory("roster-chaos-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A small disk under each member's data dir, for {@link Nemesis.Kind#DISK_FULL}; none at all (and so no such
     * fault) where tmpfs cannot be mounted, which the log says.
     */
    private static Map<String, SmallDisk> smallDisks(Path dataRoot, List<String> names) {
        Map<String, SmallDisk> disks = new LinkedHashMap<>();
        for (String name : names) {
            SmallDisk.Mounted mounted = SmallDisk.mount(dataRoot.resolve(name), DISK_MEGABYTES);
            if (mounted.disk().isEmpty()) {
                disks.values().forEach(SmallDisk::close);
                LoggerFactory.getLogger(ChaosRun.class).warn("no DISK_FULL faults in this run: {}", mounted.whyNot());
                return Map.of();
            }
            disks.put(name, mounted.disk().get());
        }
        return disks;
    }

    /** What the history alone shows: keys whose operations are not linearizable, failed writes that applied. */
    static List<String> operationViolations(List<Operation> operations) {
        List<String> violations = new ArrayList<>();
        new LinearizabilityChecker().check(operations).keys().values().stream()
                .filter(key -> key.verdict() != LinearizabilityChecker.Verdict.LINEARIZABLE)
                .forEach(key -> violations.add("key " + key.key() + ": " + key.verdict() + "\n" + key.explanation()));
        violations.addAll(HistoryChecks.failedWritesNeverApplied(operations));
        return violations;
    }

    /** The members clients may send to: every running one (a paused one too: clients cannot tell). */
    private static List<String> clientUrls(ProcessCluster cluster) {
        List<String> urls = cluster.running().stream().map(cluster::clientUrl).toList();
        return urls.isEmpty() ? cluster.members().stream().map(cluster::clientUrl).toList() : urls;
    }

    /** The name of the member a client URL (the proxy in front of it) leads to, for messages. */
    private static String memberAt(ProcessCluster cluster, String url) {
        return cluster.members().stream().filter(member -> cluster.clientUrl(member).equals(url)).map(RosterProcess::name)
                .findFirst().orElse("no member now");
    }

    private static void healEverything(ProcessCluster cluster, Network network) {
        network.healAll();
        for (RosterProcess member : cluster.members()) {
            if (Nemesis.stoppedForGood(member)) {
                member.kill9();
            }
        }
        cluster.members().stream().filter(member -> !member.isRunning()).forEach(RosterProcess::restart);
        cluster.awaitReady(READY_TIMEOUT);
        cluster.leader();
    }

    /** A linearizable read of every key after healing, recorded in the history as any other read. */
    private static Map<String, Optional<Entry>> finalReads(ProcessCluster cluster, History history, int keys) {
        Map<String, Optional<Entry>> reads = new LinkedHashMap<>();
        RosterHttp client = new RosterHttp(cluster.clientUrl(cluster.leader()));
        for (int i = 0; i < keys; i++) {
            String key = KvWorkload.PREFIX + "k" + i;
            History.Pending pending = history.invokeGet("final", key);
            try {
                RosterHttp.Reply response = client.kvGet(key, null);
                if (response.status() == 200) {
                    Entry entry = new Entry(response.string("value"), response.number("modRevision"));
                    pending.ok(Operation.Output.found(entry.value(), entry.modRevision()));
                    reads.put(key, Optional.of(entry));
                } else if (response.status() == 404) {
                    pending.ok(Operation.Output.absent());
                    reads.put(key, Optional.empty());
                } else {
                    throw new AssertionError("the final read of " + key + " after healing answered " + response);
                }
            } catch (UncheckedIOException e) {
                throw new UncheckedIOException("the final read of " + key + " after healing failed", e.getCause());
            }
        }
        return reads;
    }

    private static void awaitWatchersAt(List<KvWatcher> watchers, long revision) {
        try {
            Awaitility.await("every watcher at revision " + revision).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> watchers.stream().allMatch(watcher -> watcher.lastRevision() >= revision));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // The watch checks name what each watcher missed.
        }
    }

    private static tools.jackson.databind.JsonNode status(RosterProcess member) {
        return member.client().status();
    }

    private static void writeFiles(Path directory, History history, List<WatchLog> logs, List<String> faults,
                                   List<String> violations, String summary) {
        try {
            Files.createDirectories(directory);
            history.write(directory.resolve("history.jsonl"));
            Files.write(directory.resolve("faults.log"), faults);
            Files.write(directory.resolve("violations.txt"), violations);
            JsonMapper json = JsonMapper.builder().build();
            for (WatchLog log : logs) {
                Files.writeString(directory.resolve("watch-" + log.watcher() + ".json"), json.writeValueAsString(log.items()));
            }
            Files.writeString(directory.resolve("summary.txt"), summary + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run's files to " + directory, e);
        }
    }
}
