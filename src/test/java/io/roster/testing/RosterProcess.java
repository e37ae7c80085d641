package io.roster.testing;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * One Roster server as a real OS process: {@code java -jar roster.jar} with its settings as environment
 * variables, stdout and stderr appended to a log file (one per member, kept under {@code target/it-logs}).
 * It can be started, killed with SIGKILL, stopped with SIGTERM and restarted on the same data dir and
 * ports. Every process still running when the test JVM exits is killed by a shutdown hook.
 *
 * <p>Failures to start, to become ready or to stop raise {@link AssertionError}s that carry the tail of the
 * process's log, so a failed run says why without digging.
 */
public final class RosterProcess implements AutoCloseable {

    /** Small JVMs: the box running the suite may have 2 cores and run 3+ members at once. */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of(
            "-Xmx256m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=64m");

    private static final int TAIL_LINES = 60;
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final Set<Path> PREPARED_LOG_DIRS = ConcurrentHashMap.newKeySet();
    /** Longer than the server's own request timeout (5 s), short enough that a paused member does not stall a test. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "roster-process-reaper"));
    }

    private final String name;
    private final Path jar;
    private final Path dataDir;
    private final Path logFile;
    private final Path workDir;
    private final int clientPort;
    private final int peerPort;
    private final List<String> jvmOptions;
    private final List<String> args;
    private final Map<String, String> env;
    private final RosterHttp client;
    private volatile Process process;
    private volatile long logOffset;
    private int starts;

    private RosterProcess(Builder builder) {
        this.name = builder.name;
        this.jar = builder.jar != null ? builder.jar : rosterJar();
        this.dataDir = builder.dataDir;
        this.logFile = (builder.logDir != null ? builder.logDir : logRoot().resolve("misc")).resolve(builder.name + ".log");
        this.workDir = builder.workDir != null ? builder.workDir : logFile.getParent();
        this.clientPort = builder.clientPort != 0 ? builder.clientPort : FreePorts.next();
        this.peerPort = builder.peerPort;
        this.jvmOptions = List.copyOf(builder.jvmOptions);
        this.args = List.copyOf(builder.args);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("SERVER_PORT", Integer.toString(clientPort));
        if (dataDir != null) {
            settings.put("ROSTER_DATA_DIR", dataDir.toString());
        }
        settings.putAll(builder.env);
        this.env = Collections.unmodifiableMap(settings);
        this.client = new RosterHttp(baseUrl()).withTimeout(REQUEST_TIMEOUT);
    }

    /**
     * The same member (name, ports, data dir, settings, log file) launched from another build, not started:
     * an upgrade in place, once this one has stopped.
     */
    public RosterProcess withJar(Path otherJar) {
        Builder builder = builder(name).jar(otherJar).dataDir(dataDir).logDir(logFile.getParent()).workDir(workDir)
                .clientPort(clientPort).peerPort(peerPort).env(env);
        builder.jvmOptions.clear();
        builder.jvmOptions.addAll(jvmOptions);
        builder.args.addAll(args);
        return builder.build();
    }

    /** @param name the member's name, also the name of its log file; not passed to the server unless set as ROSTER_NAME */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    // ---- lifecycle ----

    /** Launches the process (it is not ready yet: see {@link #waitReady}). */
    public synchronized RosterProcess start() {
        if (isRunning()) {
            throw new IllegalStateException(this + " is already running (pid " + process.pid() + ")");
        }
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        // bolt (JRaft's transport) writes its own log files under logging.path, by default in ~/logs.
        command.add("-Dlogging.path=" + logFile.resolveSibling(name + "-bolt"));
        command.addAll(StartupArchive.launchArguments(jar, javaExecutable(), DEFAULT_JVM_OPTIONS));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Map<String, String> environment = builder.environment();
        // Only the settings given here: nothing inherited from the shell running the build.
        environment.keySet().removeIf(key -> key.startsWith("ROSTER_") || key.startsWith("SERVER_")
                || key.startsWith("SPRING_") || key.startsWith("MANAGEMENT_") || key.startsWith("LOGGING_"));
        environment.putAll(env);
        try {
            Files.createDirectories(logFile.getParent());
            Files.createDirectories(workDir);
            starts++;
            String banner = String.format("%n===== %s: start #%d of %s (client port %d%s)%n===== %s%n===== env %s%n",
                    Instant.now(), starts, name, clientPort, peerPort == 0 ? "" : ", peer port " + peerPort,
                    String.join(" ", command), env);
            Files.writeString(logFile, banner, StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            logOffset = Files.size(logFile);
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

    /** Starts the member again on the same data dir, ports and settings; it must have exited. */
    public RosterProcess restart() {
        if (isRunning()) {
            throw new IllegalStateException(this + " is still running; kill9() or stop() it first");
        }
        return start();
    }

    public boolean isRunning() {
        Process current = process;
        return current != null && current.isAlive();
    }

    public long pid() {
        Process current = requireStarted();
        return current.pid();
    }

    /** SIGKILL, as a crash or an OOM kill would: no shutdown hooks, no flush. Waits until the process is gone. */
    public int kill9() {
        Process current = requireStarted();
        Optional<Path> nativeLibrary = unpackedNativeLibrary(current);
        current.toHandle().destroyForcibly();
        int exit = waitForExit(current, Duration.ofSeconds(30), "after SIGKILL");
        nativeLibrary.ifPresent(Directories::deleteQuietly);
        return exit;
    }

    /**
     * The copy of RocksDB's native library (13.6 MB) that the process unpacked into the temp dir: it deletes
     * it on a clean exit only, so every killed member would leave one behind (7 GB of them were found here).
     */
    private static Optional<Path> unpackedNativeLibrary(Process process) {
        try (Stream<String> maps = Files.lines(Path.of("/proc", Long.toString(process.pid()), "maps"))) {
            return maps.map(line -> line.substring(line.lastIndexOf(' ') + 1))
                    .filter(file -> file.contains("/librocksdbjni") && file.endsWith(".so"))
                    .findFirst().map(Path::of);
        } catch (IOException | UncheckedIOException notLinuxOrGone) {
            return Optional.empty();
        }
    }

    /** SIGTERM, as systemd or Kubernetes would: the server drains and stops Raft. Fails if it takes over 30 s. */
    public int stop() {
        return stop(Duration.ofSeconds(30));
    }

    public int stop(Duration timeout) {
        Process current = requireStarted();
        current.toHandle().destroy();
        return waitForExit(current, timeout, "after SIGTERM");
    }

    /**
     * SIGSTOP, as a long GC pause, a frozen VM or a throttled container would: the process keeps its sockets
     * and its place in the cluster but answers nothing until {@link #resume}.
     */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause}. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        long pid = requireStarted().pid();
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + signal + " " + pid + " failed: " + new String(kill.getInputStream().readAllBytes(),
                        StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while sending SIG" + signal + " to " + this, e);
        }
    }

    /** Waits for the process to exit on its own (e.g. refusing to start) and returns its exit code. */
    public int awaitExit(Duration timeout) {
        return waitForExit(requireStarted(), timeout, "on its own");
    }

    private int waitForExit(Process current, Duration timeout, String how) {
        try {
            if (!current.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                current.destroyForcibly();
                current.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(this + " did not exit " + how + " within " + timeout.toSeconds() + " s (killed now)"
                        + tailForMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            current.destroyForcibly();
            throw new AssertionError("interrupted while waiting for " + this + " to exit", e);
        }
        return current.exitValue();
    }

    /** Kills the process if it still runs (SIGKILL: cleanup must be quick and cannot hang). */
    @Override
    public void close() {
        Process current = process;
        if (current != null && current.isAlive()) {
            Optional<Path> nativeLibrary = unpackedNativeLibrary(current);
            current.destroyForcibly();
            try {
                if (current.waitFor(30, TimeUnit.SECONDS)) {
                    nativeLibrary.ifPresent(Directories::deleteQuietly);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- readiness and status ----

    /**
     * Polls {@code /actuator/health/readiness} until it answers 200. Fails at once, with the log tail, if the
     * process exits meanwhile, and with the last readiness answer and the log tail on timeout.
     */
    public RosterProcess waitReady(Duration timeout) {
        AtomicReference<String> last = new AtomicReference<>("no answer yet");
        try {
            Awaitility.await(name + " ready").atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
                Process current = requireStarted();
                if (!current.isAlive()) {
                    throw new AssertionError(this + " exited with code " + current.exitValue() + " before becoming ready"
                            + tailForMessage());
                }
                try {
                    RosterHttp.Reply readiness = client.withTimeout(Duration.ofSeconds(2)).readiness();
                    last.set(readiness.toString());
                    return readiness.status() == 200;
                } catch (UncheckedIOException e) {
                    last.set(e.toString());
                    return false;
                }
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(this + " was not ready within " + timeout.toSeconds() + " s; last readiness answer: "
                    + last.get() + tailForMessage(), e);
        }
        return this;
    }

    /** {@code GET /v1/status} of this member. */
    public JsonNode status() {
        return client.status();
    }

    public RosterHttp client() {
        return client;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + clientPort;
    }

    // ---- identity ----

    public String name() {
        return name;
    }

    public int clientPort() {
        return clientPort;
    }

    /** The peer (Raft) port this member was given, or 0 if the builder was not told it. */
    public int peerPort() {
        return peerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Map<String, String> env() {
        return env;
    }

    // ---- output ----

    public Path logFile() {
        return logFile;
    }

    /** Everything the current (or last) run printed. */
    public String output() {
        try {
            if (!Files.exists(logFile)) {
                return "";
            }
            try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
                long length = file.length();
                long from = Math.min(logOffset, length);
                byte[] bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 8, length - from)];
                file.seek(from);
                file.readFully(bytes);
                return new String(bytes, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    /** The last {@code lines} lines the current (or last) run printed. */
    public String logTail(int lines) {
        List<String> all = output().lines().toList();
        return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private String tailForMessage() {
        return System.lineSeparator() + "---- last " + TAIL_LINES + " lines of " + logFile + " ----" + System.lineSeparator()
                + logTail(TAIL_LINES) + System.lineSeparator() + "---- end of " + name + " log ----";
    }

    private Process requireStarted() {
        Process current = process;
        if (current == null) {
            throw new IllegalStateException(this + " was never started");
        }
        return current;
    }

    @Override
    public String toString() {
        return "member " + name + " (" + baseUrl() + ")";
    }

    // ---- environment ----

    /** The jar under test: the {@code roster.jar} system property that failsafe sets, else target/roster.jar. */
    public static Path rosterJar() {
        Path jar = Path.of(System.getProperty("roster.jar", "target/roster.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist; build it first (./mvnw -DskipTests package)");
        }
        return jar;
    }

    /** {@code target/it-logs}, next to the jar. */
    public static Path logRoot() {
        return rosterJar().getParent().resolve("it-logs");
    }

    /**
     * A log dir for one test: {@code target/it-logs/<TestClass>/<testMethod>}, emptied of earlier runs' logs the
     * first time this JVM asks for it.
     */
    public static Path logDirFor(Class<?> testClass, String testName) {
        Path dir = logRoot().resolve(testClass.getSimpleName()).resolve(testName.replaceAll("[^A-Za-z0-9._-]", "_"));
        try {
            if (PREPARED_LOG_DIRS.add(dir) && Files.exists(dir)) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).filter(path -> !path.equals(dir)).forEach(path -> {
                        try {
                            Files.delete(path);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Settings for one member; only SERVER_PORT and ROSTER_DATA_DIR are set unless given. */
    public static final class Builder {
        private final String name;
        private Path jar;
        private Path dataDir;
        private Path logDir;
        private Path workDir;
        private int clientPort;
        private int peerPort;
        private final List<String> jvmOptions = new ArrayList<>(DEFAULT_JVM_OPTIONS);
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder jar(Path jar) {
            this.jar = jar;
            return this;
        }

        /** ROSTER_DATA_DIR; may be deliberately bad (a refusal test). */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Where {@code <name>.log} goes; default {@code target/it-logs/misc}. */
        public Builder logDir(Path logDir) {
            this.logDir = logDir;
            return this;
        }

        /** The process's working directory (where a relative data dir would land); default the log dir. */
        public Builder workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        /** SERVER_PORT; a free loopback port when not given. */
        public Builder clientPort(int clientPort) {
            this.clientPort = clientPort;
            return this;
        }

        /** The member's peer port, for reference only: the server takes it from ROSTER_INITIAL_CLUSTER. */
        public Builder peerPort(int peerPort) {
            this.peerPort = peerPort;
            return this;
        }

        /** An environment variable, e.g. {@code env("ROSTER_NAME", "n1")}. */
        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        public Builder env(Map<String, String> settings) {
            env.putAll(settings);
            return this;
        }

        /** A command-line argument after the jar, e.g. {@code --roster.raft.snapshot-entries=100}. */
        public Builder arg(String arg) {
            args.add(arg);
            return this;
        }

        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        public RosterProcess build() {
            return new RosterProcess(this);
        }
    }
}
