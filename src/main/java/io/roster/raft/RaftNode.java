package io.roster.raft;

import com.alipay.remoting.TimerHolder;
import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.rpc.RpcClient;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.alipay.sofa.jraft.util.Endpoint;
import io.roster.config.PeerUrl;
import io.roster.store.RosterStore;
import io.roster.store.command.Command;
import io.roster.store.command.CommandResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import static io.roster.raft.NodeHandle.peerId;
import static io.roster.raft.NodeHandle.peersWhileLeading;

/**
 * One member's Raft node: starts and stops JRaft and the threads around it, and is the one door to its
 * concerns, each in its own class: {@link LeaderRouter} (proposals and leader-only operations, forwarded
 * and retried), {@link ReadBarriers}, {@link ConfigurationChanges}, {@link Snapshots}, {@link PeerHealth}
 * and {@link CommitBroadcast}. The rest of Roster sees futures and plain exceptions, never JRaft's threads,
 * closures or types.
 */
public final class RaftNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RaftNode.class);

    /**
     * The leader's heartbeat interval is the election timeout over this: etcd's least ratio, half JRaft's
     * default of 10. A heartbeat now only keeps followers from an election, since {@link CommitBroadcast}
     * tells them of commits at once, and an idle cluster spends most of its CPU on heartbeats (ADR 0021).
     */
    static final int HEARTBEATS_PER_ELECTION_TIMEOUT = 5;

    private final RaftSettings settings;
    private final PeerProtocol protocol = new PeerProtocol();
    private final ExecutorService completions;
    private final ExecutorService peerRequests;
    private final ExecutorService snapshotWriter;
    private final ScheduledExecutorService retryTimer;
    private final RosterStateMachine stateMachine;
    private final NodeHandle node;
    private final LeaderRouter router;
    private final ReadBarriers reads;
    private final ConfigurationChanges changes;
    private final Snapshots snapshots;
    private final PeerHealth peers;
    private final CommitBroadcast commits;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile RaftObserver observer = RaftObserver.NONE;
    private RaftGroupService group;
    private RpcClient rpcClient;

    public RaftNode(RaftSettings settings, RosterStore store) {
        this.settings = settings;
        this.completions = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                daemonThreads("roster-complete"));
        this.peerRequests = Executors.newFixedThreadPool(4, daemonThreads("roster-peer"));
        this.snapshotWriter = Executors.newSingleThreadExecutor(daemonThreads("roster-snapshot"));
        this.retryTimer = Executors.newSingleThreadScheduledExecutor(daemonThreads("roster-retry"));
        this.stateMachine = new RosterStateMachine(store, snapshotWriter, this::afterApplied,
                (nanos, bytes) -> observer.onSnapshotSaved(nanos, bytes));
        this.node = new NodeHandle(stateMachine);
        DeadlineRetries retries = new DeadlineRetries(retryTimer, settings.requestTimeout());
        this.router = new LeaderRouter(node, protocol, completions, retries, () -> observer);
        this.reads = new ReadBarriers(node, completions, retries);
        this.changes = new ConfigurationChanges(node, router, completions, retryTimer, settings.self(), settings.electionTimeout());
        this.snapshots = new Snapshots(node, stateMachine, snapshotWriter, settings.snapshotEntries());
        this.peers = new PeerHealth(node, peerId(settings.self()).toString(), settings.groupId());
        this.commits = new CommitBroadcast(node, peerId(settings.self()).toString(), settings.groupId(), retryTimer,
                settings.electionTimeout().dividedBy(HEARTBEATS_PER_ELECTION_TIMEOUT));
        protocol.serve(LeaderRouter.PROPOSE, router::applyLocally);
        protocol.serve(LeaderCallBatch.OPERATION, request -> LeaderCallBatch.serve(request, protocol));
    }

    /** Opens the peer port, loads the latest snapshot and log, and joins or bootstraps the group. */
    public void start() {
        Path raftDir = settings.dataDir().resolve("raft");
        try {
            // RocksDB does not create parent directories.
            Files.createDirectories(raftDir.resolve("log"));
            Files.createDirectories(raftDir.resolve("meta"));
            Files.createDirectories(raftDir.resolve("snapshot"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + raftDir + ": " + e.getMessage(), e);
        }
        NodeOptions options = settings.transport().newNodeOptions();
        options.setElectionTimeoutMs((int) settings.electionTimeout().toMillis());
        options.getRaftOptions().setElectionHeartbeatFactor(HEARTBEATS_PER_ELECTION_TIMEOUT);
        System.setProperty(TimerHolder.TICK_PROPERTY, Long.toString(boltTimerTickMillis(settings.electionTimeout())));
        options.setEnableMetrics(true); // JRaft's own latencies (log append with fsync, replication), bridged by ops
        options.setFsm(stateMachine);
        options.setLogUri(raftDir.resolve("log").toString());
        options.setRaftMetaUri(raftDir.resolve("meta").toString());
        options.setSnapshotUri(raftDir.resolve("snapshot").toString());
        options.setSnapshotIntervalSecs((int) Math.max(1, settings.snapshotInterval().toSeconds()));
        if (!settings.initialPeers().isEmpty()) {
            Configuration initial = new Configuration();
            settings.initialPeers().forEach(peer -> initial.addPeer(peerId(peer)));
            options.setInitialConf(initial);
        }
        PeerId self = peerId(settings.self());
        RpcServer rpcServer = settings.transport().newServer(new Endpoint(self.getIp(), settings.listenPort()));
        rpcServer.registerProcessor(new PeerRequestProcessor(protocol, this::isLeader, peerRequests));
        group = new RaftGroupService(settings.groupId(), self, options, rpcServer);
        Node started;
        try {
            started = group.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start Raft on peer address " + settings.self() + listeningOn() + ": " + e.getMessage(), e);
        }
        if (started == null) {
            throw new IllegalStateException("cannot start Raft on peer address " + settings.self() + listeningOn()
                    + " (is the port in use, or the data dir damaged?)");
        }
        node.set(started);
        started.addReplicatorStateListener(peers.reachabilityTracker());
        rpcClient = settings.transport().newClient();
        router.forwardWith(rpcClient);
        log.info("Raft node {} started in group {} with data in {}, peers over {}", self, settings.groupId(), raftDir,
                settings.transport());
    }

    /**
     * A twentieth of the election timeout, at most 50 ms: JRaft gives a heartbeat RPC half the election
     * timeout, so bolt's timeout wheel (ADR 0020) fires it late by at most a tenth.
     */
    static long boltTimerTickMillis(Duration electionTimeout) {
        return Math.max(1, Math.min(TimerHolder.MAX_TICK_MILLIS, electionTimeout.toMillis() / 20));
    }

    private String listeningOn() {
        return settings.listenPort() == settings.self().port() ? "" : " (listening on port " + settings.listenPort() + ")";
    }

    public void addLeadershipListener(LeadershipListener listener) {
        stateMachine.addLeadershipListener(listener);
    }

    public void setObserver(RaftObserver observer) {
        this.observer = observer;
    }

    /** Asks members questions on their peer ports, over this node's transport. */
    public PeerProbe probe() {
        return new PeerProbe(settings.transport());
    }

    /** The peer operations this member serves: bound before {@link #start}, in the node's wiring. */
    public PeerProtocol protocol() {
        return protocol;
    }

    // ---- proposals and leader-only operations: LeaderRouter ----

    /**
     * Replicates a command and completes with the result every replica computes for it. Proposals made
     * on a follower are forwarded to the leader.
     */
    public CompletableFuture<CommandResult> propose(Command command) {
        return router.propose(command);
    }

    /**
     * Replicates a command only if this node leads in {@code term}, and never forwards it: for decisions
     * that are this term's leader's alone, such as expiring a lease on its clock. A leader deposed since
     * (a paused one may not know it yet) appends nothing and fails with {@link NotLeaderException};
     * forwarding its decision to the new leader would expire leases the new leader has been renewing.
     */
    public CompletableFuture<CommandResult> proposeInTerm(Command command, long term) {
        return router.proposeInTerm(command, term);
    }

    /**
     * Runs a leader's operation on the leader and answers with what it returned. The operation must be
     * idempotent: a call whose answer was lost is sent again.
     */
    public <Q, A> CompletableFuture<A> callLeader(PeerOperation<Q, A> operation, Q request) {
        return router.callLeader(operation, request);
    }

    /**
     * {@link #callLeader} for an idempotent operation called often and concurrently (heartbeats): on a
     * follower, calls that overlap travel to the leader together ({@link CoalescedLeaderCalls}), when the
     * operation is at version 1, which is what a batch carries.
     */
    public <Q, A> CompletableFuture<A> callLeaderCoalesced(PeerOperation<Q, A> operation, Q request) {
        return router.callLeaderCoalesced(operation, request);
    }

    // ---- read barriers: ReadBarriers ----

    /**
     * Completes once this node has applied every entry committed before the call: reads made after it
     * are linearizable, on the leader and on followers alike (Raft's ReadIndex).
     */
    public CompletableFuture<Void> readBarrier(ReadConsistency consistency) {
        return consistency == ReadConsistency.SERIALIZABLE ? CompletableFuture.completedFuture(null) : readBarrier();
    }

    public CompletableFuture<Void> readBarrier() {
        return reads.readBarrier();
    }

    // ---- configuration changes, on the leader: ConfigurationChanges ----

    /** The voters and learners of the current configuration, as peer addresses; empty off the leader. */
    public Membership configuration() {
        return changes.configuration();
    }

    /** Whether a change of this peer ({@code host:port}) is under way on this leader (see {@link ConfigurationChanges#changing}). */
    public boolean configurationChanging(String peerAddress) {
        return changes.changing(peerAddress);
    }

    /** Voters and learners as JRaft's configuration holds them ({@code host:port}). */
    public record Membership(List<String> voters, List<String> learners) {
    }

    public CompletableFuture<Void> addLearner(PeerUrl peer) {
        return changes.addLearner(peer);
    }

    /** Makes a learner a voter, in two changes (see {@link ConfigurationChanges#promote}). */
    public CompletableFuture<Void> promote(PeerUrl peer) {
        return changes.promote(peer);
    }

    /** Removes a voter or a learner at this address from the configuration. */
    public CompletableFuture<Void> removeFromConfiguration(String peerAddress) {
        return changes.removeFromConfiguration(peerAddress);
    }

    public CompletableFuture<Void> transferLeadershipTo(PeerUrl peer) {
        return changes.transferLeadershipTo(peer);
    }

    /**
     * Makes this member the only voter, with no quorum needed: the last resort after losing a majority
     * for good (etcd's --force-new-cluster). The caller must have made sure no quorum is reachable.
     */
    public void resetToSelf() {
        changes.resetToSelf();
    }

    /** After each batch the state machine applied: tell the followers of a lone commit, maybe take a snapshot. */
    private void afterApplied(long appliedIndex) {
        commits.afterApplied();
        snapshots.maybeSnapshot(appliedIndex);
    }

    // ---- snapshots: Snapshots ----

    /** Takes a snapshot now; JRaft then truncates the log up to the previous one. */
    public CompletableFuture<Void> snapshot() {
        return snapshots.snapshot();
    }

    /**
     * Whether the entry at {@code index} has been truncated from this node's log into a snapshot: a
     * member that still needs it can only catch up by snapshot install.
     */
    public boolean isCompacted(long index) {
        return snapshots.isCompacted(index);
    }

    // ---- other members: PeerHealth ----

    /**
     * The leader's view of every other member; empty on followers, which do not know it.
     *
     * @param laggingThreshold entries behind the leader's log beyond which a reachable member is lagging
     */
    public List<PeerState> peerStates(long laggingThreshold) {
        return peers.peerStates(laggingThreshold);
    }

    /**
     * Drops this member's pooled peer connections to {@code peerAddress}, so that the next message to it opens a
     * new one (see {@code io.roster.cluster.PeerReconnector} for when bolt needs that).
     */
    public void reconnect(String peerAddress) {
        peers.reconnect(peerAddress);
    }

    // ---- this member's state ----

    public boolean isLeader() {
        return node.isLeader();
    }

    /** Why JRaft stopped this node (a failing disk, an entry it cannot apply), or null while it runs. */
    public String failure() {
        return node.failure();
    }

    public RaftStatus status() {
        Node current = node.current();
        if (current == null) {
            throw new RaftUnavailableException("the Raft node is not running", false);
        }
        PeerId leader = current.getLeaderId();
        // JRaft lists the configuration only on the leader (it throws elsewhere).
        boolean leading = current.isLeader();
        return new RaftStatus(
                peerId(settings.self()).toString(),
                current.getNodeState().name(),
                leading,
                leader == null || leader.isEmpty() ? null : leader.toString(),
                stateMachine.term(),
                logIndex(current::getLastLogIndex),
                logIndex(current::getLastCommittedIndex),
                // JRaft's applied index also counts configuration entries, which never reach onApply; the
                // commit index counts them too, so comparing with ours alone would never look caught up.
                Math.max(stateMachine.appliedIndex(), logIndex(current::getLastAppliedLogIndex)),
                stateMachine.leaderChanges(),
                stateMachine.lastSnapshotIndex(),
                stateMachine.lastSnapshotBytes(),
                leading ? peersWhileLeading(current::listPeers) : List.of(),
                leading ? peersWhileLeading(current::listLearners) : List.of(),
                leader == null || leader.isEmpty() ? Duration.ofNanos(stateMachine.leaderlessNanos()) : Duration.ZERO,
                failure());
    }

    /** A node stopped by a failure no longer reads its log indexes: then the last index this member applied. */
    private long logIndex(LongSupplier index) {
        try {
            return index.getAsLong();
        } catch (IllegalStateException stopped) {
            return stateMachine.appliedIndex();
        }
    }

    /** JRaft's timer {@code name} ({@code append-logs}, {@code fsm-apply-tasks}, ...), or none before start. */
    public JRaftTiming jraftTiming(String name) {
        if (!(node.metrics().get(name) instanceof com.codahale.metrics.Timer timer)) {
            return JRaftTiming.NONE;
        }
        com.codahale.metrics.Snapshot snapshot = timer.getSnapshot();
        double[] seconds = new double[JRaftTiming.QUANTILES.length];
        for (int i = 0; i < seconds.length; i++) {
            seconds[i] = snapshot.getValue(JRaftTiming.QUANTILES[i]) / 1e9;
        }
        return new JRaftTiming(timer.getCount(), seconds);
    }

    /** The peer address JRaft uses for a member ({@code host:port}). */
    public static String peerAddress(PeerUrl url) {
        return url.host() + ":" + url.port();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        retryTimer.shutdownNow();
        if (group != null) {
            group.shutdown();
            try {
                group.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        node.set(null);
        if (rpcClient != null) {
            rpcClient.shutdown();
        }
        snapshotWriter.shutdown();
        peerRequests.shutdownNow();
        completions.shutdown();
        log.info("Raft node {} stopped", settings.self());
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
