package io.roster.testing;

import io.roster.config.PeerUrl;
import io.roster.config.RosterProperties;
import io.roster.kv.KvService;
import io.roster.lease.LeaseKeeper;
import io.roster.lease.LeaseService;
import io.roster.raft.RaftNode;
import io.roster.raft.RaftSettings;
import io.roster.raft.RaftStatus;
import io.roster.store.KeyEvent;
import io.roster.store.RosterStore;
import io.roster.store.StoreListener;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * N real JRaft nodes in this JVM on free loopback ports, each with its own data dir, store, lease clock
 * and façades, assembled as the application assembles them but without HTTP.
 */
public final class InJvmCluster implements AutoCloseable {

    public static final Duration ELECTION_TIMEOUT = Duration.ofMillis(400);
    private static final String TOKEN = "in-jvm-cluster";

    private final List<PeerUrl> peers;
    private final Path baseDir;
    private final Duration snapshotInterval;
    private final List<Node> nodes = new ArrayList<>();

    private InJvmCluster(int size, Path baseDir, Duration snapshotInterval) {
        this.baseDir = baseDir;
        this.snapshotInterval = snapshotInterval;
        List<PeerUrl> urls = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            urls.add(new PeerUrl("127.0.0.1", FreePorts.next()));
        }
        this.peers = List.copyOf(urls);
    }

    public static InJvmCluster start(int size, Path baseDir) {
        InJvmCluster cluster = new InJvmCluster(size, baseDir, Duration.ofHours(1));
        for (int i = 0; i < size; i++) {
            cluster.nodes.add(cluster.startNode(i));
        }
        cluster.awaitLeader();
        return cluster;
    }

    private Node startNode(int index) {
        RosterStore store = new RosterStore();
        RaftSettings settings = new RaftSettings("roster", peers.get(index), peers.get(index).port(), peers, baseDir.resolve("n" + index),
                ELECTION_TIMEOUT, snapshotInterval, 0, Duration.ofSeconds(5));
        RaftNode raft = new RaftNode(settings, store);
        LeaseKeeper keeper = new LeaseKeeper(raft, store, System::nanoTime, ELECTION_TIMEOUT, Duration.ofMinutes(5), 1000);
        raft.addLeadershipListener(keeper);
        store.addListener(keeper);
        EventLog events = new EventLog();
        store.addListener(events);
        LeaseService leases = new LeaseService(raft, store, keeper, Duration.ofSeconds(1), Duration.ofHours(1));
        KvService kv = new KvService(raft, store, new RosterProperties.Limits(4096, 1_572_864,
                org.springframework.util.unit.DataSize.ofMegabytes(2), 10_000));
        raft.start();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleWithFixedDelay(keeper::tick, 50, 50, TimeUnit.MILLISECONDS);
        return new Node(index, store, raft, keeper, leases, kv, events, ticker);
    }

    /** The cluster as an operator would configure it: {@code n0=http://127.0.0.1:port,…}. */
    public io.roster.config.InitialCluster initialCluster() {
        java.util.Map<String, PeerUrl> members = new java.util.LinkedHashMap<>();
        for (int i = 0; i < peers.size(); i++) {
            members.put("n" + i, peers.get(i));
        }
        return new io.roster.config.InitialCluster(members);
    }

    /** Member lookups as the application does them, for node {@code index}. */
    public io.roster.cluster.MemberDirectory memberDirectory(int index) {
        io.roster.config.InitialCluster initial = initialCluster();
        PeerUrl self = peers.get(index);
        io.roster.config.NodeIdentity identity = new io.roster.config.NodeIdentity("n" + index, TOKEN,
                io.roster.config.MemberIds.memberId(TOKEN, self), io.roster.config.MemberIds.clusterId(TOKEN, peers), self,
                "http://127.0.0.1:0", initial, false, baseDir.resolve("n" + index));
        return new io.roster.cluster.MemberDirectory(nodes.get(index).store(), identity);
    }

    /** The peer URL node {@code index} was started with. */
    public PeerUrl peerUrl(int index) {
        return peers.get(index);
    }

    public List<Node> nodes() {
        return nodes.stream().filter(Objects::nonNull).toList();
    }

    public Node node(int index) {
        return nodes.get(index);
    }

    /** Waits until every running node agrees on one leader, and returns it. */
    public Node awaitLeader() {
        await().atMost(Duration.ofSeconds(30)).until(() -> agreedLeader() != null);
        return agreedLeader();
    }

    private Node agreedLeader() {
        List<Node> running = nodes();
        List<String> views = running.stream().map(node -> node.raft().status().leaderPeer()).distinct().toList();
        if (views.size() != 1 || views.get(0) == null) {
            return null;
        }
        return running.stream()
                .filter(node -> node.raft().isLeader() && node.keeper().active())
                .findFirst().orElse(null);
    }

    public List<Node> followers() {
        Node leader = awaitLeader();
        return nodes().stream().filter(node -> node != leader).toList();
    }

    public void stop(int index) {
        Node node = nodes.get(index);
        if (node != null) {
            node.close();
            nodes.set(index, null);
        }
    }

    /** Starts a stopped node again from its data dir. */
    public Node restart(int index) {
        if (nodes.get(index) != null) {
            throw new IllegalStateException("node " + index + " is running");
        }
        Node node = startNode(index);
        nodes.set(index, node);
        return node;
    }

    @Override
    public void close() {
        for (int i = 0; i < nodes.size(); i++) {
            stop(i);
        }
    }

    public String describe() {
        return nodes().stream().map(node -> {
            RaftStatus status = node.raft().status();
            return "n" + node.index() + "[" + status.state() + " term=" + status.term() + " leader=" + status.leaderPeer()
                    + " applied=" + status.appliedIndex() + " revision=" + node.store().revision() + "]";
        }).collect(Collectors.joining(", "));
    }

    public record Node(int index, RosterStore store, RaftNode raft, LeaseKeeper keeper, LeaseService leases, KvService kv,
                       EventLog events, ScheduledExecutorService ticker) implements AutoCloseable {
        @Override
        public void close() {
            ticker.shutdownNow();
            raft.close();
        }
    }

    /** Every key event a node's store applied, for assertions on what watchers would see. */
    public static final class EventLog implements StoreListener {
        private final List<KeyEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onKeyEvents(List<KeyEvent> batch) {
            events.addAll(batch);
        }

        public List<KeyEvent> events() {
            return List.copyOf(events);
        }
    }
}
