package io.roster.cli;

import io.roster.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Arguments, options, defaults, usage errors and exit codes: nothing here needs a server. */
class RosterctlCommandLineTest {

    private static Rosterctl parsed(Map<String, String> env, String... args) {
        CommandLine commandLine = Rosterctl.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), env);
        commandLine.parseArgs(args);
        return commandLine.getCommand();
    }

    @Test
    void globalOptionsHaveEtcdctlsDefaults() {
        Rosterctl root = parsed(Map.of(), "get", "k");
        assertThat(root.endpoints).containsExactly("http://127.0.0.1:2379");
        assertThat(root.format).isEqualTo(OutputFormat.simple);
        assertThat(root.commandTimeout).isEqualTo(Duration.ofSeconds(5));
        assertThat(root.dialTimeout).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void globalOptionsGoBeforeOrAfterTheCommand() {
        Rosterctl before = parsed(Map.of(), "--endpoints=http://a:1,http://b:2", "-w", "json", "--command-timeout=500ms", "get", "k");
        assertThat(before.endpoints).containsExactly("http://a:1", "http://b:2");
        assertThat(before.format).isEqualTo(OutputFormat.json);
        assertThat(before.commandTimeout).isEqualTo(Duration.ofMillis(500));
        Rosterctl after = parsed(Map.of(), "member", "list", "--endpoints", "http://c:3", "-w", "table", "--dial-timeout", "3");
        assertThat(after.endpoints).containsExactly("http://c:3");
        assertThat(after.format).isEqualTo(OutputFormat.table);
        assertThat(after.dialTimeout).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void theEnvironmentSetsDefaultsAndTheCommandLineWins() {
        Map<String, String> env = Map.of("ROSTERCTL_ENDPOINTS", "http://e1:2379,http://e2:2379", "ROSTERCTL_WRITE_OUT", "JSON",
                "ROSTERCTL_COMMAND_TIMEOUT", "2m");
        Rosterctl fromEnv = parsed(env, "get", "k");
        assertThat(fromEnv.endpoints).containsExactly("http://e1:2379", "http://e2:2379");
        assertThat(fromEnv.format).isEqualTo(OutputFormat.json);
        assertThat(fromEnv.commandTimeout).isEqualTo(Duration.ofMinutes(2));
        Rosterctl overridden = parsed(env, "--endpoints", "http://cli:1", "-w", "simple", "get", "k");
        assertThat(overridden.endpoints).containsExactly("http://cli:1");
        assertThat(overridden.format).isEqualTo(OutputFormat.simple);
    }

    @Test
    void theTokenComesFromTheEnvironmentOrTheCommandLineAndMustFitInAHeader() {
        assertThat(parsed(Map.of("ROSTERCTL_TOKEN", "from-the-env-0123456789"), "get", "k").token).isEqualTo("from-the-env-0123456789");
        assertThat(parsed(Map.of("ROSTERCTL_TOKEN", "from-the-env-0123456789"), "--token", "from-the-cli-0123456789", "get", "k").token)
                .isEqualTo("from-the-cli-0123456789");

        Cli.Result spaced = Cli.run("--endpoints", "http://127.0.0.1:" + FreePorts.next(), "--token", "two words", "get", "k");
        assertThat(spaced.exitCode()).as(spaced.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(spaced.err()).contains("--token").contains("printable ASCII without spaces").doesNotContain("two words");
    }

    @Test
    void usageErrorsExit2WithOneErrorAndAPointerToHelp() {
        Cli.Result unknown = Cli.run("gett", "k");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err()).startsWith("Error: Unmatched argument").contains("Did you mean").contains("get")
                .contains("Run 'rosterctl --help' for usage.");

        Cli.Result missing = Cli.run("put", "k");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("Missing required parameter: 'VALUE'").contains("rosterctl put --help");

        assertThat(Cli.run("get", "k", "-w", "yaml").err()).contains("Invalid value for option '--write-out'")
                .contains("simple, json, table");
        assertThat(Cli.run("get", "k", "--limit", "5").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("get", "k", "--prefix", "--limit", "0").err()).contains("--limit must be 1 or more");
        assertThat(Cli.run("get", "k", "--consistency", "x").err()).contains("--consistency must be l (linearizable) or s");
        assertThat(Cli.run("watch", "k", "--rev", "0").err()).contains("--rev must be 1 or more");
        assertThat(Cli.run("put", "k", "v", "--prev-revision", "-1").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("put", "k", "v", "--lease", " ").err()).contains("--lease needs a lease id");
        assertThat(Cli.run("lease", "grant", "0").err()).contains("TTL must be 1 second or more");
        assertThat(Cli.run("--command-timeout", "soon", "get", "k").err()).contains("'soon' is not a duration");
        assertThat(Cli.run("member", "add", "n4").err()).contains("Missing required option: '--peer-urls");
        assertThat(Cli.run("member", "add", "n4", "--peer-urls", "ftp://x:1").err())
                .contains("--peer-urls: peer URL 'ftp://x:1' must be http:// or https://");
        assertThat(Cli.run("service", "register", "web", "w1", "--host", "h").err()).contains("Missing required option: '--port");
        assertThat(Cli.run("snapshot", "restore", "f", "--data-dir", "d").err()).contains("--initial-cluster");
    }

    @Test
    void aMalformedEndpointIsAUsageError() {
        Cli.Result result = Cli.run("--endpoints", "http://:2379", "get", "k");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--endpoints: endpoint 'http://:2379' has no host");
        assertThat(Cli.run("--endpoints", "http://h:1/path", "get", "k").err()).contains("must not have a path");
    }

    @Test
    void helpAndVersionExit0() {
        Cli.Result help = Cli.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: rosterctl").contains("member").contains("endpoint").contains("snapshot")
                .contains("Exit codes:").contains("ROSTERCTL_ENDPOINTS");
        Cli.Result noCommand = Cli.run();
        assertThat(noCommand.exitCode()).isZero();
        assertThat(noCommand.out()).contains("Usage: rosterctl");
        assertThat(Cli.run("help", "member").out()).contains("Usage: rosterctl member").contains("move-leader");
        assertThat(Cli.run("member", "add", "--help").out()).contains("--learner").contains("--peer-urls");
        Cli.Result version = Cli.run("version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.lines()).hasSize(2);
        assertThat(version.lines().get(0)).startsWith("rosterctl version: ");
        assertThat(Cli.run("version", "-w", "json").out()).startsWith("{\"rosterctlVersion\":");
        assertThat(Cli.run("--version").out()).startsWith("rosterctl version: ");
    }

    @Test
    void whenNoEndpointAnswersOneErrorNamesEachEndpointAndWhy() throws IOException {
        int refused = FreePorts.next();
        // accepts connections (the kernel's backlog) but never answers
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String silentUrl = "http://127.0.0.1:" + silent.getLocalPort();
            long start = System.nanoTime();
            Cli.Result result = Cli.run("--endpoints", "http://127.0.0.1:" + refused + "," + silentUrl,
                    "--command-timeout", "700ms", "get", "k");
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(result.out()).isEmpty();
            assertThat(result.err()).isEqualTo("Error: no endpoint answered: http://127.0.0.1:" + refused + " (connection refused), "
                    + silentUrl + " (timed out after 700ms)" + System.lineSeparator());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void anUnresolvableHostIsNamedAsSuch() {
        Cli.Result result = Cli.run("--endpoints", "http://no-such-host.invalid:2379", "get", "k");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(result.err()).isEqualTo("Error: no endpoint answered: http://no-such-host.invalid:2379 (unknown host)"
                + System.lineSeparator());
    }

    @Test
    void snapshotRestoreRefusesANonEmptyDataDirAndABadClusterAndAMissingFile(@TempDir Path dir) throws IOException {
        Path snapshot = Files.write(dir.resolve("s.snap"), new byte[] {1, 2, 3});
        Path full = Files.createDirectories(dir.resolve("full"));
        Files.writeString(full.resolve("x"), "x");
        Cli.Result nonEmpty = Cli.run("snapshot", "restore", snapshot.toString(), "--data-dir", full.toString(),
                "--initial-cluster", "n1=http://127.0.0.1:2380");
        assertThat(nonEmpty.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(nonEmpty.err()).contains("is not empty: restore into a new data dir");

        Cli.Result badCluster = Cli.run("snapshot", "restore", snapshot.toString(), "--data-dir", dir.resolve("d").toString(),
                "--initial-cluster", "n1");
        assertThat(badCluster.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badCluster.err()).contains("--initial-cluster: ").contains("is not name=http://host:port");

        Cli.Result missing = Cli.run("snapshot", "restore", dir.resolve("nope").toString(), "--data-dir",
                dir.resolve("d2").toString(), "--initial-cluster", "n1=http://127.0.0.1:2380");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(missing.err()).contains("no such file");

        Cli.Result damaged = Cli.run("snapshot", "restore", snapshot.toString(), "--data-dir", dir.resolve("d3").toString(),
                "--initial-cluster", "n1=http://127.0.0.1:2380");
        assertThat(damaged.exitCode()).as(damaged.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(damaged.err()).startsWith("Error: ");
    }
}
