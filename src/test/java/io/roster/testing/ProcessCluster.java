package io.roster.testing;

import io.roster.testing.cluster.Leadership;
import io.roster.testing.net.Network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A Roster cluster of N real processes on free loopback ports ({@code n1..nN}), each with its own data dir
 * under one temporary root that is deleted on {@link #close()}, and its log in the given log dir. Closing
 * kills every member (and a JVM shutdown hook does so if the test JVM exits first).
 *
 * <pre>{@code
 * try (ProcessCluster cluster = ProcessCluster.builder().members(3).logDir(dir).build()) {
 *     cluster.start().awaitReady(Duration.ofSeconds(60));
 *     RosterProcess leader = cluster.leader();
 *     ...
 * }
 * }</pre>
 */
public final class ProcessCluster implements AutoCloseable {

    public static final Duration DEFAULT_LEADER_TIMEOUT = Duration.ofSeconds(30);

    private final String token;
    private final Path dataRoot;
    private final boolean ownsDataRoot;
    private final Path logDir;
    private final Duration electionTimeout;
    private final Map<String, String> commonEnv;
    private final List<String> commonArgs;
    private final Function<String, Map<String, String>> memberEnv;
    private final String peerScheme;
    /** Null for the jar under test. */
    private final Path jar;
    private final String initialCluster;
    private final List<RosterProcess> members = Collections.synchronizedList(new ArrayList<>());
    /** Null unless every link runs through a proxy (see {@link Builder#network}). */
    private final PeerProxies proxies;

    private ProcessCluster(Builder builder) {
        this.token = builder.token != null ? builder.token : "it-" + UUID.randomUUID().toString().substring(0, 8);
        this.logDir = builder.logDir != null ? builder.logDir : RosterProcess.logRoot().resolve("misc");
        this.electionTimeout = builder.electionTimeout;
        this.commonEnv = Map.copyOf(builder.env);
        this.commonArgs = List.copyOf(builder.args);
        this.memberEnv = builder.memberEnv;
        this.peerScheme = builder.peerScheme;
        this.jar = builder.jar;
        try {
            this.ownsDataRoot = builder.dataRoot == null;
            this.dataRoot = ownsDataRoot ? Files.createTempDirectory("roster-it-") : Files.createDirectories(builder.dataRoot);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.proxies = builder.network == null ? null : new PeerProxies(builder.network, this::runningPids);
        Map<String, Integer> peerPorts = new LinkedHashMap<>();
        for (int i = 1; i <= builder.size; i++) {
            String name = "n" + i;
            peerPorts.put(name, proxies == null ? FreePorts.next() : proxies.advertisedPeerPort(name));
        }
        this.initialCluster = peerPorts.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + peerScheme + "://127.0.0.1:" + entry.getValue())
                .collect(Collectors.joining(","));
        peerPorts.forEach((name, peerPort) -> members.add(memberBuilder(name, peerPort)
                .env("ROSTER_INITIAL_CLUSTER", initialCluster)
                .env("ROSTER_INITIAL_CLUSTER_STATE", "new")
                .build()));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A member with this cluster's token, election timeout, common settings and log dir, its own data dir
     * and free client port, and the given peer port; the caller adds ROSTER_INITIAL_CLUSTER and
     * ROSTER_INITIAL_CLUSTER_STATE (e.g. to join as a new member) and then {@link #add}s it.
     */
    public RosterProcess.Builder memberBuilder(String name, int peerPort) {
        int clientPort = FreePorts.next();
        RosterProcess.Builder builder = RosterProcess.builder(name)
                .dataDir(dataRoot.resolve(name))
                .logDir(logDir)
                .workDir(dataRoot)
                .clientPort(clientPort)
                .peerPort(peerPort)
                .env("ROSTER_NAME", name)
                .env("ROSTER_INITIAL_CLUSTER_TOKEN", token)
                .env("ROSTER_ADVERTISE_CLIENT_URL", "http://127.0.0.1:" + clientPort)
                .env("ROSTER_RAFT_ELECTION_TIMEOUT", electionTimeout.toMillis() + "ms")
                .env(commonEnv)
                .env(memberEnv.apply(name));
        if (proxies != null) {
            builder.env("ROSTER_LISTEN_PEER_PORT", Integer.toString(proxies.listenPort(name)));
        }
        commonArgs.forEach(builder::arg);
        if (jar != null) {
            builder.jar(jar);
        }
        return builder;
    }

    /** Puts {@code replacement} in the place of a member that left (e.g. one removed and added back on a new data dir). */
    public RosterProcess replace(RosterProcess left, RosterProcess replacement) {
        synchronized (members) {
            int index = members.indexOf(left);
            if (index < 0) {
                throw new IllegalArgumentException(left + " is not a member of this cluster");
            }
            members.set(index, replacement);
        }
        left.close();
        return replacement;
    }

    /** Adds a member built elsewhere (e.g. from {@link #memberBuilder}) so that it counts as live and is cleaned up. */
    public RosterProcess add(RosterProcess member) {
        members.add(member);
        return member;
    }

    /**
     * The peer port the other members know {@code name} by: with a {@link Builder#network}, the port of the
     * proxy in front of it (so it can rejoin under its name); else a new free port.
     */
    public int peerPortFor(String name) {
        return proxies == null ? FreePorts.next() : proxies.advertisedPeerPort(name);
    }

    /** The base URL the test's clients use for {@code member}: through its proxy when there is a {@link Builder#network}. */
    public String clientUrl(RosterProcess member) {
        return proxies == null ? member.baseUrl() : "http://127.0.0.1:" + proxies.clientPort(member.name(), member.clientPort());
    }

    /** The network every link runs through; the test's clients are {@value PeerProxies#CLIENTS} in it. */
    public Network network() {
        if (proxies == null) {
            throw new IllegalStateException("this cluster was built without a network: links are direct");
        }
        return proxies.network();
    }

    private Map<Long, String> runningPids() {
        Map<Long, String> pids = new LinkedHashMap<>();
        for (RosterProcess member : running()) {
            try {
                pids.put(member.pid(), member.name());
            } catch (IllegalStateException exited) {
                // between running() and pid(): not a dialer any more
            }
        }
        return pids;
    }

    public static String peerUrl(int peerPort) {
        return "http://127.0.0.1:" + peerPort;
    }

    // ---- lifecycle ----

    /** Launches every member that is not running (they start in parallel; none is ready yet). */
    public ProcessCluster start() {
        members().stream().filter(member -> !member.isRunning()).forEach(RosterProcess::start);
        return this;
    }

    /** Waits until every running member's readiness probe answers 200 (each has a leader and has caught up). */
    public ProcessCluster awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (RosterProcess member : running()) {
            member.waitReady(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
        return this;
    }

    /** Kills every member that still runs (SIGKILL) and deletes the data dirs this cluster created. */
    @Override
    public void close() {
        members().forEach(RosterProcess::close);
        if (proxies != null) {
            proxies.close();
        }
        if (ownsDataRoot) {
            Directories.deleteQuietly(dataRoot);
        }
    }

    // ---- members ----

    public List<RosterProcess> members() {
        synchronized (members) {
            return List.copyOf(members);
        }
    }

    public RosterProcess member(String name) {
        return members().stream().filter(member -> member.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no member " + name + " in " + members()));
    }

    /** Members whose process is alive (ready or not). */
    public List<RosterProcess> running() {
        return members().stream().filter(RosterProcess::isRunning).toList();
    }

    /** The {@code ROSTER_INITIAL_CLUSTER} value the bootstrap members were started with. */
    public String initialCluster() {
        return initialCluster;
    }

    public String token() {
        return token;
    }

    public Path dataRoot() {
        return dataRoot;
    }

    public Path logDir() {
        return logDir;
    }

    // ---- leadership ----

    /** The leader all running members agree on, waiting up to {@link #DEFAULT_LEADER_TIMEOUT} for agreement. */
    public RosterProcess leader() {
        return awaitLeader(DEFAULT_LEADER_TIMEOUT);
    }

    /** Running members other than the agreed leader. */
    public List<RosterProcess> followers() {
        RosterProcess leader = leader();
        return running().stream().filter(member -> member != leader).toList();
    }

    /**
     * Waits until every running member reports the same leader in {@code /v1/status} and that leader is a
     * running member whose own status names itself; fails with every member's last status on timeout.
     */
    public RosterProcess awaitLeader(Duration timeout) {
        return Leadership.awaitAgreedLeader(this::running, RosterProcess::baseUrl, RosterProcess::name, timeout);
    }

    /** The leader every running member reports right now, if they agree on one. */
    public Optional<RosterProcess> agreedLeader() {
        return Leadership.agreedLeader(running(), RosterProcess::baseUrl, RosterProcess::name);
    }

    /** Cluster-wide settings; every member gets them. */
    public static final class Builder {
        private int size = 3;
        private String token;
        private Path dataRoot;
        private Path logDir;
        private Duration electionTimeout = Duration.ofMillis(1000);
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> args = new ArrayList<>();
        private Function<String, Map<String, String>> memberEnv = name -> Map.of();
        private String peerScheme = "http";
        private Path jar;
        private Network network;

        private Builder() {
        }

        /**
         * Runs every peer link and every link from the test's clients through proxies that apply this
         * network's faults; its names are the members' ({@code n1..nN}) and {@value PeerProxies#CLIENTS}.
         */
        public Builder network(Network network) {
            this.network = network;
            return this;
        }

        /**
         * How many bootstrap members (n1..nN); 3 by default. 0 for a cluster whose members are configured
         * elsewhere (e.g. from a shipped compose file) and {@link #add}ed.
         */
        public Builder members(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("a negative number of members");
            }
            this.size = size;
            return this;
        }

        /** ROSTER_INITIAL_CLUSTER_TOKEN; random by default, so no two test clusters share ids. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** Where member data dirs go ({@code <root>/<name>}); a temp dir deleted on close by default. */
        public Builder dataRoot(Path dataRoot) {
            this.dataRoot = dataRoot;
            return this;
        }

        /** Where member logs go; see {@link RosterProcess#logDirFor}. */
        public Builder logDir(Path logDir) {
            this.logDir = logDir;
            return this;
        }

        /** ROSTER_RAFT_ELECTION_TIMEOUT; 1000 ms by default. */
        public Builder electionTimeout(Duration electionTimeout) {
            this.electionTimeout = electionTimeout;
            return this;
        }

        /** An environment variable for every member. */
        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** Environment variables that differ by member, such as the files of its own certificate. */
        public Builder memberEnv(Function<String, Map<String, String>> memberEnv) {
            this.memberEnv = memberEnv;
            return this;
        }

        /** {@code https} for mutual TLS between the members (they need certificates, see {@link #memberEnv}). */
        public Builder peerScheme(String peerScheme) {
            this.peerScheme = peerScheme;
            return this;
        }

        /** Another build than the jar under test for every member, e.g. a previous release's (RollingUpgradeIT). */
        public Builder jar(Path jar) {
            this.jar = jar;
            return this;
        }

        /** A command-line argument for every member, e.g. {@code --roster.raft.snapshot-entries=500}. */
        public Builder arg(String arg) {
            args.add(arg);
            return this;
        }

        public ProcessCluster build() {
            return new ProcessCluster(this);
        }
    }
}
