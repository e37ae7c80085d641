package io.roster.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One Roster member as a real OS process ({@code java -jar roster.jar}, its settings as environment
 * variables, its output appended to a log file). It can be killed with SIGKILL, stopped with SIGTERM and
 * restarted on the same data dir and ports. Every process still running when the JVM exits is killed.
 */
public final class RosterServer implements AutoCloseable {

    /** Small JVMs: a 2-core machine may run 3 members and the tests at once. */
    static final List<String> JVM_OPTIONS = List.of(
            "-Xmx256m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=64m");

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "roster-testkit-reaper"));
    }

    private final String name;
    private final Path jar;
    private final int clientPort;
    private final Path dataDir;
    private final Path logFile;
    private final Map<String, String> env;
    private final List<String> args;
    private volatile Process process;

    RosterServer(String name, Path jar, int clientPort, Path dataDir, Path logFile, Map<String, String> env, List<String> args) {
        this.name = name;
        this.jar = jar;
        this.clientPort = clientPort;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.env = Map.copyOf(env);
        this.args = List.copyOf(args);
    }

    // ---- lifecycle ----

    /** Launches the process; it is not ready yet (see {@link #awaitReady}). */
    public synchronized RosterServer start() {
        if (isRunning()) {
            throw new IllegalStateException(this + " is already running");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(JVM_OPTIONS);
        // bolt (JRaft's transport) writes its own logs under logging.path, by default in ~/logs
        command.add("-Dlogging.path=" + logFile.resolveSibling(name + "-bolt"));
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dataDir.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // Only the settings given here: nothing inherited from the shell running the build
        builder.environment().keySet().removeIf(key -> key.startsWith("ROSTER_") || key.startsWith("SERVER_")
                || key.startsWith("SPRING_") || key.startsWith("MANAGEMENT_") || key.startsWith("LOGGING_"));
        builder.environment().putAll(env);
        // RocksDB unpacks its native library (13.6 MB) into the shared temp dir and deletes it only on a clean
        // exit, so every killed member would leave one there; in this member's own dir it goes with the cluster.
        Path nativeLibraryDir = dataDir.resolveSibling(name + "-native");
        builder.environment().put("ROCKSDB_SHAREDLIB_DIR", nativeLibraryDir.toString());
        try {
            Files.createDirectories(nativeLibraryDir);
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, "%n===== %s: start of %s: %s%n".formatted(Instant.now(), name, env),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Process started = builder.start();
            started.getOutputStream().close();
            LIVE.add(started);
            started.onExit().thenRun(() -> LIVE.remove(started));
            process = started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + this + ": " + e.getMessage(), e);
        }
        return this;
    }

    /**
     * Polls the readiness probe until it answers 200 (the member has a leader and has caught up).
     *
     * @throws IllegalStateException with the log's tail when the process exits or the time is up
     */
    public RosterServer awaitReady(Duration timeout) {
        String last = Polling.until(timeout, this + " ready", () -> {
            Process current = process;
            if (current == null || !current.isAlive()) {
                throw new IllegalStateException(this + " exited before it was ready" + logTailForMessage());
            }
            int status = probe("/actuator/health/readiness");
            return status == 200 ? null : "readiness answered " + status;
        });
        if (last != null) {
            throw new IllegalStateException(this + " was not ready within " + timeout.toSeconds() + " s (" + last + ")"
                    + logTailForMessage());
        }
        return this;
    }

    /** SIGKILL, as a crash would: no shutdown hooks. Returns once the process is gone. */
    public RosterServer kill9() {
        return terminate(true);
    }

    /** SIGTERM: the member drains and stops Raft. Returns once the process is gone. */
    public RosterServer stop() {
        return terminate(false);
    }

    /** Starts it again on the same data dir, ports and settings, and waits until it is ready. */
    public RosterServer restart(Duration readyTimeout) {
        return start().awaitReady(readyTimeout);
    }

    public boolean isRunning() {
        Process current = process;
        return current != null && current.isAlive();
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() {
        if (isRunning()) {
            terminate(true);
        }
    }

    private RosterServer terminate(boolean forcibly) {
        Process current = process;
        if (current == null) {
            throw new IllegalStateException(this + " was never started");
        }
        if (forcibly) {
            current.destroyForcibly();
        } else {
            current.destroy();
        }
        try {
            if (!current.waitFor(30, TimeUnit.SECONDS)) {
                current.destroyForcibly();
                current.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            current.destroyForcibly();
        }
        return this;
    }

    // ---- identity ----

    public String name() {
        return name;
    }

    /** The client URL, {@code http://127.0.0.1:<port>}. */
    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    public int clientPort() {
        return clientPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** The last lines the member printed. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.exists(logFile) ? Files.readAllLines(logFile, StandardCharsets.UTF_8) : List.of();
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    /** GET of a path of this member: its status code, or -1 when it cannot be reached. */
    int probe(String path) {
        return get(path).statusCode();
    }

    /** GET of a path of this member, or an answer with status -1 when it cannot be reached. */
    Probe get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + path)).timeout(Duration.ofSeconds(2)).GET().build();
        try {
            HttpResponse<String> response = PROBE.send(request, HttpResponse.BodyHandlers.ofString());
            return new Probe(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Probe(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe(-1, "interrupted");
        }
    }

    record Probe(int statusCode, String body) {
    }

    private String logTailForMessage() {
        return System.lineSeparator() + "---- last lines of " + logFile + " ----" + System.lineSeparator() + logTail(40);
    }

    @Override
    public String toString() {
        return "member " + name + " (" + endpoint() + ")";
    }
}
