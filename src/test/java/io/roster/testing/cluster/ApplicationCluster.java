package io.roster.testing.cluster;

import io.roster.RosterApplication;
import io.roster.client.MemberAdded;
import io.roster.client.RosterClient;
import io.roster.testing.Directories;
import io.roster.testing.FreePorts;
import org.awaitility.Awaitility;
import org.opentest4j.TestAbortedException;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A {@link TestCluster} of Roster applications in this JVM: each member is the application itself
 * ({@link RosterApplication}, every bean as in production) on its own free ports and data dir, so tests reach
 * a member's beans ({@link Member#bean}) as well as its HTTP API. A member cannot crash or freeze alone as a
 * process can: {@code kill} stops it as {@code stop} does, and {@code pause} aborts the test (the process
 * cluster runs those).
 */
public final class ApplicationCluster implements TestCluster {

    private final Path dataRoot;
    private final String token = "in-jvm-" + UUID.randomUUID().toString().substring(0, 8);
    private final Duration electionTimeout;
    private final Map<String, String> commonProperties;
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private int rejoins;

    private ApplicationCluster(Path dataRoot, Duration electionTimeout, Map<String, String> commonProperties) {
        this.dataRoot = dataRoot;
        this.electionTimeout = electionTimeout;
        this.commonProperties = Map.copyOf(commonProperties);
    }

    /** Starts {@code size} members (n1..nN) as a new cluster and waits until they are ready and agree on a leader. */
    public static ApplicationCluster start(int size, Duration electionTimeout, Map<String, String> properties) {
        Path dataRoot;
        try {
            dataRoot = Files.createTempDirectory("roster-in-jvm-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ApplicationCluster cluster = new ApplicationCluster(dataRoot, electionTimeout, properties);
        Map<String, Integer> peerPorts = new LinkedHashMap<>();
        for (int i = 1; i <= size; i++) {
            peerPorts.put("n" + i, FreePorts.next());
        }
        String initialCluster = peerPorts.entrySet().stream().map(entry -> entry.getKey() + "=" + peerUrl(entry.getValue()))
                .collect(Collectors.joining(","));
        peerPorts.forEach((name, peerPort) -> cluster.members.add(cluster.new Member(name, peerPort, dataRoot.resolve(name),
                initialCluster, "new")));
        try {
            // In parallel: a member of a new cluster is not ready until a quorum of the others has started.
            CompletableFuture.allOf(cluster.members.stream().map(member -> CompletableFuture.runAsync(member::start))
                    .toArray(CompletableFuture[]::new)).join();
            cluster.leader();
        } catch (RuntimeException | AssertionError e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    public static ApplicationCluster start(int size) {
        return start(size, Duration.ofMillis(500), Map.of());
    }

    private static String peerUrl(int port) {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public List<TestMember> members() {
        return List.copyOf(members);
    }

    /** The member with this name, with access to its beans. */
    public Member application(String name) {
        return (Member) member(name);
    }

    /** A bean of this member's application. */
    public <T> T bean(TestMember member, Class<T> type) {
        return application(member.name()).bean(type);
    }

    @Override
    public synchronized TestMember addMember(String name) {
        int peerPort = FreePorts.next();
        MemberAdded added;
        try (RosterClient client = client()) {
            added = client.addMember(name, List.of(peerUrl(peerPort)), false);
        }
        Member member = new Member(name, peerPort, dataRoot.resolve(name + "-rejoined-" + ++rejoins), added.initialCluster(), "existing");
        members.removeIf(existing -> existing.name().equals(name) && !existing.isRunning());
        members.add(member);
        member.start();
        return member;
    }

    @Override
    public void close() {
        members.forEach(Member::kill);
        Directories.deleteQuietly(dataRoot);
    }

    @Override
    public String toString() {
        return "in-JVM cluster " + members;
    }

    /** One member: the Roster application, started and stopped in this JVM. */
    public final class Member implements TestMember {
        private final String name;
        private final int clientPort = FreePorts.next();
        private final int peerPort;
        private final Path dataDir;
        private final String initialCluster;
        private final String initialClusterState;
        private volatile ConfigurableApplicationContext context;

        private Member(String name, int peerPort, Path dataDir, String initialCluster, String initialClusterState) {
            this.name = name;
            this.peerPort = peerPort;
            this.dataDir = dataDir;
            this.initialCluster = initialCluster;
            this.initialClusterState = initialClusterState;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String clientUrl() {
            return "http://127.0.0.1:" + clientPort;
        }

        @Override
        public String peerUrl() {
            return ApplicationCluster.peerUrl(peerPort);
        }

        @Override
        public boolean isRunning() {
            ConfigurableApplicationContext current = context;
            return current != null && current.isActive();
        }

        @Override
        public synchronized void start() {
            if (isRunning()) {
                throw new IllegalStateException(name + " is already running");
            }
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("server.port", Integer.toString(clientPort));
            properties.put("roster.name", name);
            properties.put("roster.data-dir", dataDir.toString());
            properties.put("roster.initial-cluster", initialCluster);
            properties.put("roster.initial-cluster-state", initialClusterState);
            properties.put("roster.initial-cluster-token", token);
            properties.put("roster.advertise-client-url", clientUrl());
            properties.put("roster.raft.election-timeout", electionTimeout.toMillis() + "ms");
            properties.put("spring.main.banner-mode", "off");
            properties.putAll(commonProperties);
            SpringApplicationBuilder builder = new SpringApplicationBuilder(RosterApplication.class).registerShutdownHook(false);
            // Logging belongs to the JVM, not to one member: a member that stops must not reset it for the others.
            List<org.springframework.context.ApplicationListener<?>> listeners = new ArrayList<>(builder.application().getListeners());
            listeners.removeIf(LoggingApplicationListener.class::isInstance);
            builder.application().setListeners(listeners);
            // As command-line arguments: above application.yml, as an operator's settings are.
            context = builder.run(properties.entrySet().stream().map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
                    .toArray(String[]::new));
            awaitHealthy();
        }

        private void awaitHealthy() {
            try (RosterClient client = client()) {
                Awaitility.await(name + " healthy").atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(100))
                        .ignoreExceptions().until(() -> client.health(clientUrl()).httpStatus() == 200);
            }
        }

        @Override
        public synchronized void stop() {
            ConfigurableApplicationContext current = context;
            if (current != null) {
                current.close();
            }
        }

        /** The same as {@link #stop}: an application in this JVM cannot crash alone. */
        @Override
        public void kill() {
            stop();
        }

        @Override
        public void pause() {
            throw new TestAbortedException("a member in this JVM cannot be frozen alone; the process cluster pauses members");
        }

        @Override
        public void resume() {
            throw new TestAbortedException("a member in this JVM cannot be frozen alone; the process cluster pauses members");
        }

        /** A bean of this member's running application. */
        public <T> T bean(Class<T> type) {
            ConfigurableApplicationContext current = context;
            if (current == null || !current.isActive()) {
                throw new IllegalStateException(name + " is not running");
            }
            return current.getBean(type);
        }

        @Override
        public String toString() {
            return name + (isRunning() ? "" : " (stopped)");
        }
    }
}
