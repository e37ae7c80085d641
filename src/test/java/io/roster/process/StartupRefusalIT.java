package io.roster.process;

import io.roster.testing.ProcessCluster;
import io.roster.testing.RosterHttp;
import io.roster.testing.FreePorts;
import io.roster.testing.RosterProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built jar refuses bad settings the way an operator needs: it exits non-zero, quickly, with one line
 * "Roster cannot start: <reason>" that names what to fix; and with nothing configured but ports and a data
 * dir it runs as a single member named "default".
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StartupRefusalIT {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);
    private static final String REASON_PREFIX = "Roster cannot start: ";

    @TempDir
    Path temp;

    @Test
    void refusesANameThatIsNotInTheInitialCluster(TestInfo test) {
        RosterProcess node = member(test, "n9", temp.resolve("data"))
                .env("ROSTER_INITIAL_CLUSTER", "n1=" + freePeerUrl() + ",n2=" + freePeerUrl())
                .build();

        String reason = refusalReason(node.start());

        assertThat(reason).contains("'n9'").contains("roster.initial-cluster").contains("n1, n2");
    }

    @Test
    void refusesAMalformedPeerUrl(TestInfo test) {
        RosterProcess node = member(test, "n1", temp.resolve("data"))
                .env("ROSTER_INITIAL_CLUSTER", "n1=http://127.0.0.1:notaport")
                .build();

        String reason = refusalReason(node.start());

        // Names the setting, the member and the URL, and then what is wrong with it: the port. The host is
        // fine, so "no host" (what java.net.URI's fallback to an opaque authority suggests) would mislead.
        String url = "'http://127.0.0.1:notaport'";
        assertThat(reason).contains("roster.initial-cluster").contains("n1").contains(url);
        assertThat(reason.substring(reason.indexOf(url) + url.length())).as("what the reason says is wrong with %s", url)
                .containsIgnoringCase("port").doesNotContainIgnoringCase("no host");
    }

    @Test
    void refusesADataDirThatCannotBeCreated(TestInfo test) throws IOException {
        // Permission bits do not stop root, a regular file in the path does.
        Path file = Files.writeString(temp.resolve("not-a-directory"), "a regular file");
        Path dataDir = file.resolve("data");
        RosterProcess node = member(test, "n1", dataDir)
                .env("ROSTER_INITIAL_CLUSTER", "n1=" + freePeerUrl())
                .build();

        String reason = refusalReason(node.start());

        assertThat(reason).contains("roster.data-dir").contains(dataDir.toString());
        assertThat(file).isRegularFile().hasContent("a regular file");
    }

    @Test
    void refusesADataDirThatBelongsToAnotherMember(TestInfo test) throws IOException {
        Path dataDir = temp.resolve("data-of-a");
        try (RosterProcess a = member(test, "a", dataDir).env("ROSTER_INITIAL_CLUSTER", "a=" + freePeerUrl()).build()) {
            a.start().waitReady(Duration.ofSeconds(90));
            a.stop();
        }
        Map<String, Long> before = listing(dataDir);
        String identityBefore = Files.readString(dataDir.resolve("member.properties"));

        RosterProcess b = member(test, "b", dataDir).env("ROSTER_INITIAL_CLUSTER", "b=" + freePeerUrl()).build();
        String reason = refusalReason(b.start());

        assertThat(reason).contains(dataDir.toString()).contains("member a").contains("not to b")
                .contains("wipe").contains("settings");
        assertThat(listing(dataDir)).as("member a's data dir after b was refused").isEqualTo(before);
        assertThat(dataDir.resolve("member.properties")).hasContent(identityBefore);
    }

    @Test
    void refusesAnUnknownInitialClusterState(TestInfo test) {
        RosterProcess node = member(test, "n1", temp.resolve("data"))
                .env("ROSTER_INITIAL_CLUSTER", "n1=" + freePeerUrl())
                .env("ROSTER_INITIAL_CLUSTER_STATE", "bogus")
                .build();

        String reason = refusalReason(node.start());

        assertThat(reason).contains("roster.initial-cluster-state").contains("'bogus'").contains("new").contains("existing");
    }

    @Test
    void refusesAClientTokenTooShortToBeSafeWithoutPrintingIt(TestInfo test) {
        RosterProcess node = member(test, "n1", temp.resolve("data"))
                .env("ROSTER_INITIAL_CLUSTER", "n1=" + freePeerUrl())
                .env("ROSTER_AUTH_TOKENS", "a-long-enough-token-0123456789,secret42")
                .build();

        String reason = refusalReason(node.start());

        assertThat(reason).contains("roster.auth.tokens").contains("token 2 of 2").contains("8 characters").contains("at least 16");
        assertThat(node.output()).doesNotContain("secret42").doesNotContain("a-long-enough-token-0123456789");
    }

    @Test
    void runsAsASingleDefaultMemberWithNothingButPortsAndADataDir(TestInfo test) throws IOException {
        // The default peer port 2380 may be taken on a build machine, so the peer URL is the one setting given.
        RosterProcess node = RosterProcess.builder("default")
                .dataDir(temp.resolve("data"))
                .logDir(logDir(test))
                .workDir(temp)
                .env("ROSTER_INITIAL_CLUSTER", "default=" + freePeerUrl())
                .build();
        try (node) {
            node.start().waitReady(Duration.ofSeconds(90));

            RosterHttp.Reply put = node.client().kvPut("config/greeting", "hello");
            assertThat(put.status()).as("put: %s", put).isEqualTo(200);
            RosterHttp.Reply linearizable = node.client().kvGet("config/greeting", null);
            assertThat(linearizable.status()).as("get: %s", linearizable).isEqualTo(200);
            assertThat(linearizable.string("value")).isEqualTo("hello");
            assertThat(linearizable.number("modRevision")).isEqualTo(put.number("modRevision"));
            RosterHttp.Reply serializable = node.client().kvGet("config/greeting", RosterHttp.SERIALIZABLE);
            assertThat(serializable.string("value")).isEqualTo("hello");

            JsonNode status = node.status();
            assertThat(status.path("name").asString("")).isEqualTo("default");
            assertThat(status.path("leader").asString("")).as("leader in %s", status)
                    .isEqualTo(status.path("memberId").asString(null));
            assertThat(status.path("revision").asLong(-1)).isGreaterThanOrEqualTo(put.number("modRevision"));
            assertThat(temp.resolve("data").resolve("member.properties")).isRegularFile();
        }
    }

    // ---- helpers ----

    /** A member with a free client port, the given name and data dir; the test adds the setting under test. */
    private RosterProcess.Builder member(TestInfo test, String name, Path dataDir) {
        return RosterProcess.builder(name)
                .dataDir(dataDir)
                .logDir(logDir(test))
                .workDir(temp)
                .env("ROSTER_NAME", name)
                .env("ROSTER_RAFT_ELECTION_TIMEOUT", "1000ms");
    }

    /**
     * Waits for the process to exit, asserts it failed, and returns the reason from the one line
     * "Roster cannot start: <reason>" of Spring Boot's failure report.
     */
    private static String refusalReason(RosterProcess node) {
        int exit;
        try (node) {
            exit = node.awaitExit(EXIT_TIMEOUT);
        }
        String output = node.output();
        assertThat(exit).as("exit code of %s; output:%n%s", node, output).isNotZero();
        assertThat(output).as("output of %s", node).contains("APPLICATION FAILED TO START");
        String line = output.lines().filter(candidate -> candidate.startsWith(REASON_PREFIX)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + REASON_PREFIX + "' in the output of " + node
                        + ":" + System.lineSeparator() + output));
        return line.substring(REASON_PREFIX.length());
    }

    private static Path logDir(TestInfo test) {
        return RosterProcess.logDirFor(StartupRefusalIT.class, test.getTestMethod().orElseThrow().getName());
    }

    private static String freePeerUrl() {
        return ProcessCluster.peerUrl(FreePorts.next());
    }

    /** Every file under {@code dir} with its size and modification time, to tell whether anything touched it. */
    private static Map<String, Long> listing(Path dir) throws IOException {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (Files.isRegularFile(path)) {
                    files.put(dir.relativize(path) + " size", Files.size(path));
                    files.put(dir.relativize(path) + " mtime", Files.getLastModifiedTime(path).toMillis());
                }
            }
        }
        return files;
    }
}
