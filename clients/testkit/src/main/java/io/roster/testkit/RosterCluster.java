package io.roster.testkit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Roster cluster of N real server processes ({@code n1..nN}) bootstrapped together with
 * {@code --initial-cluster}, on free loopback ports, with data dirs under one temporary root that
 * {@link #close()} deletes after killing every member. Logs go to {@code target/roster-testkit/<cluster>}
 * in the working directory, and are kept.
 *
 * <pre>{@code
 * try (RosterCluster cluster = RosterCluster.builder().members(3).env("ROSTER_AUTH_TOKENS", "s3cret").start()) {
 *     List<String> endpoints = cluster.endpoints();
 *     cluster.leader().kill9();
 * }
 * }</pre>
 */
public final class RosterCluster implements AutoCloseable {

    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(120);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<RosterServer> members;
    private final Path dataRoot;
    private final Duration readyTimeout;

    private RosterCluster(Builder builder) {
        Path jar = builder.serverJar != null ? builder.serverJar : ServerJar.locate();
        String id = "roster-" + UUID.randomUUID().toString().substring(0, 8);
        this.readyTimeout = builder.readyTimeout;
        try {
            this.dataRoot = Files.createTempDirectory(id + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path logDir = (builder.logDir != null ? builder.logDir : Path.of("target", "roster-testkit")).toAbsolutePath().resolve(id);
        Map<String, Integer> peerPorts = new LinkedHashMap<>();
        for (int i = 1; i <= builder.size; i++) {
            peerPorts.put("n" + i, FreePorts.next());
        }
        String initialCluster = peerPorts.entrySet().stream()
                .map(entry -> entry.getKey() + "=http://127.0.0.1:" + entry.getValue()).collect(Collectors.joining(","));
        List<RosterServer> servers = new ArrayList<>();
        peerPorts.keySet().forEach(name -> {
            int clientPort = FreePorts.next();
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SERVER_PORT", Integer.toString(clientPort));
            env.put("ROSTER_NAME", name);
            env.put("ROSTER_DATA_DIR", dataRoot.resolve(name).toString());
            env.put("ROSTER_INITIAL_CLUSTER", initialCluster);
            env.put("ROSTER_INITIAL_CLUSTER_STATE", "new");
            env.put("ROSTER_INITIAL_CLUSTER_TOKEN", id);
            env.put("ROSTER_ADVERTISE_CLIENT_URL", "http://127.0.0.1:" + clientPort);
            env.put("ROSTER_RAFT_ELECTION_TIMEOUT", builder.electionTimeout.toMillis() + "ms");
            env.putAll(builder.env);
            servers.add(new RosterServer(name, jar, clientPort, dataRoot.resolve(name), logDir.resolve(name + ".log"), env,
                    builder.args));
        });
        this.members = List.copyOf(servers);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts every member at once and waits until each is ready. */
    private RosterCluster startAll() {
        members.forEach(RosterServer::start);
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        for (RosterServer member : members) {
            member.awaitReady(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
        return this;
    }

    public List<RosterServer> members() {
        return members;
    }

    /** Member {@code n<i>}, counting from 1. */
    public RosterServer member(int i) {
        return members.get(i - 1);
    }

    /** The member with this client URL. */
    public RosterServer memberAt(String endpoint) {
        return members.stream().filter(member -> member.endpoint().equals(endpoint)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no member at " + endpoint + " in " + members));
    }

    /** Every member's client URL, running or not. */
    public List<String> endpoints() {
        return members.stream().map(RosterServer::endpoint).toList();
    }

    /** Members whose process is alive. */
    public List<RosterServer> running() {
        return members.stream().filter(RosterServer::isRunning).toList();
    }

    /** The leader every running member agrees on, waiting up to 30 s for agreement. */
    public RosterServer leader() {
        Map<String, RosterServer> byId = new LinkedHashMap<>();
        String[] found = new String[1];
        String last = Polling.until(Duration.ofSeconds(30), "a leader", () -> {
            Optional<String> agreed = agreedLeaderId(byId);
            agreed.ifPresent(id -> found[0] = id);
            return agreed.isPresent() && byId.containsKey(agreed.get()) ? null : "running members do not agree on a leader yet";
        });
        if (last != null) {
            throw new IllegalStateException(last);
        }
        return byId.get(found[0]);
    }

    /** Running members other than the leader. */
    public List<RosterServer> followers() {
        RosterServer leader = leader();
        return running().stream().filter(member -> member != leader).toList();
    }

    private Optional<String> agreedLeaderId(Map<String, RosterServer> byId) {
        List<String> leaders = new ArrayList<>();
        for (RosterServer member : running()) {
            RosterServer.Probe status = member.get("/v1/status");
            if (status.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode json = JSON.readTree(status.body());
            byId.put(json.path("memberId").asString(), member);
            leaders.add(json.path("leader").isString() ? json.path("leader").asString() : null);
        }
        return leaders.isEmpty() || leaders.contains(null) || leaders.stream().distinct().count() != 1
                ? Optional.empty() : Optional.of(leaders.get(0));
    }

    /** Kills every member still running (SIGKILL: quick, cannot hang) and deletes the data dirs. */
    @Override
    public void close() {
        members.forEach(RosterServer::close);
        try (Stream<Path> files = Files.walk(dataRoot)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp dir the OS cleans up eventually
        }
    }

    @Override
    public String toString() {
        return "cluster " + members;
    }

    /** Settings of every member; {@link #start()} launches the cluster and waits until it is ready. */
    public static final class Builder {
        private int size = 3;
        private Path serverJar;
        private Path logDir;
        private Duration electionTimeout = Duration.ofMillis(1000);
        private Duration readyTimeout = DEFAULT_READY_TIMEOUT;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> args = new ArrayList<>();

        private Builder() {
        }

        /** How many members (3 by default). */
        public Builder members(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("a cluster has at least one member, not " + size);
            }
            this.size = size;
            return this;
        }

        /** The server jar; {@link ServerJar#locate()} by default. */
        public Builder serverJar(Path serverJar) {
            this.serverJar = serverJar;
            return this;
        }

        /** Where the members' logs go ({@code <dir>/<cluster>/n1.log}); {@code target/roster-testkit} by default. */
        public Builder logDir(Path logDir) {
            this.logDir = logDir;
            return this;
        }

        /** ROSTER_RAFT_ELECTION_TIMEOUT; 1 s by default, so that failover tests are quick. */
        public Builder electionTimeout(Duration electionTimeout) {
            this.electionTimeout = electionTimeout;
            return this;
        }

        public Builder readyTimeout(Duration readyTimeout) {
            this.readyTimeout = readyTimeout;
            return this;
        }

        /** An environment variable for every member, e.g. {@code env("ROSTER_AUTH_TOKENS", "s3cret")}. */
        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** A command-line argument for every member, e.g. {@code --roster.watch.history-events=10}. */
        public Builder arg(String arg) {
            args.add(arg);
            return this;
        }

        /** Starts the members and waits until every one is ready; on failure, kills them and throws. */
        public RosterCluster start() {
            RosterCluster cluster = new RosterCluster(this);
            try {
                return cluster.startAll();
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
        }
    }
}
