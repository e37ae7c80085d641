package io.roster.cli;

import io.roster.client.Snapshot;
import io.roster.client.internal.Json;
import io.roster.config.InitialCluster;
import io.roster.config.InvalidConfigurationException;
import io.roster.raft.SnapshotRestore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.stream.Stream;

/** {@code rosterctl snapshot save|restore}: backups, and new clusters from them. */
@Command(name = "snapshot", description = "Save a snapshot of the store; restore one into a new cluster's data dirs.",
        subcommands = {SnapshotCommands.Save.class, SnapshotCommands.Restore.class})
final class SnapshotCommands {

    /** A snapshot holds the whole store: give it longer than one ordinary request. */
    static final Duration MIN_SNAPSHOT_TIMEOUT = Duration.ofMinutes(5);

    private SnapshotCommands() {
    }

    @Command(name = "save", description = {"Downloads a consistent snapshot (every write acknowledged before it) into FILE.",
            "It is written to FILE.part first and renamed when complete."})
    static final class Save extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws IOException {
            var client = client();
            Duration timeout = client.requestTimeout().compareTo(MIN_SNAPSHOT_TIMEOUT) < 0 ? MIN_SNAPSHOT_TIMEOUT
                    : client.requestTimeout();
            Snapshot snapshot = client.snapshot(timeout);
            Path target = file.toAbsolutePath();
            if (target.getParent() != null) {
                Files.createDirectories(target.getParent());
            }
            Path partial = target.resolveSibling(target.getFileName() + ".part");
            Files.write(partial, snapshot.data());
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Printer out = printer();
            String revision = snapshot.revision() > 0 ? Long.toString(snapshot.revision()) : "";
            if (out.json()) {
                ObjectNode answer = Json.object().put("path", file.toString()).put("bytes", snapshot.data().length)
                        .put("endpoint", snapshot.endpoint());
                if (snapshot.revision() > 0) {
                    answer.put("revision", snapshot.revision());
                }
                out.json(answer);
            } else if (out.table()) {
                out.table(new Table("PATH", "REVISION", "SIZE", "ENDPOINT").row(file, revision,
                        Formats.humanBytes(snapshot.data().length), snapshot.endpoint()));
            } else {
                out.line("Snapshot saved at " + file + (revision.isEmpty() ? "" : " (revision " + revision + ", "
                        + Formats.humanBytes(snapshot.data().length) + ")"));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "restore", description = {"Writes a new cluster member's data dir from a snapshot (no server involved).",
            "Run it once per member, with the same FILE and --initial-cluster, each into that member's data dir;",
            "then start every member with ROSTER_INITIAL_CLUSTER=<the same list> and ROSTER_INITIAL_CLUSTER_STATE=new."})
    static final class Restore extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "Must not exist yet, or be empty.")
        Path dataDir;

        @Option(names = "--initial-cluster", required = true, paramLabel = "NAME=URL[,…]",
                description = "Every member of the new cluster: n1=http://10.0.0.1:2380,n2=…")
        String initialCluster;

        @Override
        public Integer call() throws IOException {
            InitialCluster cluster;
            try {
                cluster = InitialCluster.parse(initialCluster);
            } catch (InvalidConfigurationException e) {
                throw usage("--initial-cluster: " + e.getMessage());
            }
            if (Files.exists(dataDir)) {
                if (!Files.isDirectory(dataDir)) {
                    throw new IllegalStateException("--data-dir " + dataDir + " is a file, not a directory");
                }
                try (Stream<Path> entries = Files.list(dataDir)) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalStateException("--data-dir " + dataDir + " is not empty: restore into a new data dir");
                    }
                }
            }
            byte[] snapshot = Files.readAllBytes(file);
            boolean created = !Files.exists(dataDir);
            Files.createDirectories(dataDir);
            long revision;
            try {
                revision = SnapshotRestore.restore(snapshot, dataDir, cluster.peerUrls());
            } catch (IOException | RuntimeException e) {
                if (created) {
                    deleteRecursively(dataDir); // leave nothing half-written behind
                }
                throw e;
            }
            Printer out = printer();
            if (out.json()) {
                out.json(Json.object().put("dataDir", dataDir.toString()).put("revision", revision)
                        .put("initialCluster", cluster.toString()).put("initialClusterState", "new"));
            } else if (out.table()) {
                out.table(new Table("DATA DIR", "REVISION", "INITIAL CLUSTER").row(dataDir, revision, cluster));
            } else {
                out.line("Restored snapshot " + file + " (revision " + revision + ") into " + dataDir);
                out.line("Start the member with ROSTER_DATA_DIR=" + dataDir + " ROSTER_INITIAL_CLUSTER=" + cluster
                        + " ROSTER_INITIAL_CLUSTER_STATE=new");
            }
            return ExitCodes.OK;
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }
}
