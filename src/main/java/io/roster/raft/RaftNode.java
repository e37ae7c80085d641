package io.roster.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.closure.ReadIndexClosure;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.error.LogIndexOutOfBoundsException;
import com.alipay.sofa.jraft.error.LogNotFoundException;
import com.alipay.sofa.jraft.error.RemotingException;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.rpc.RpcClient;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.alipay.sofa.jraft.util.Endpoint;
import io.roster.config.PeerUrl;
import io.roster.store.CorruptEntryException;
import io.roster.store.RosterStore;
import io.roster.store.codec.StoreCodec;
import io.roster.store.command.Command;
import io.roster.store.command.CommandResult;
import io.roster.store.command.Noop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One member's Raft node: proposes commands, serves linearizable read barriers, and routes leader-only
 * operations to the leader from whichever node received them. The rest of Roster sees futures and plain
 * exceptions, never JRaft's threads, closures or types.
 */
public final class RaftNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RaftNode.class);
    /** A command, in the store's versioned encoding, to replicate; the answer is what every replica computed. */
    static final PeerOperation<byte[], CommandResult> PROPOSE = PeerOperation.onLeader("propose", PeerCodec.BYTES,
            PeerCodec.of(StoreCodec::encodeResult, StoreCodec::decodeResult));
    private static final long RETRY_DELAY_MILLIS = 25;
    private static final byte[] NO_CONTEXT = new byte[0];
    /** JRaft's expected term for a task any leader may append. */
    private static final long ANY_TERM = -1;

    private final RaftSettings settings;
    private final RosterStore store;
    private final PeerProtocol protocol = new PeerProtocol();
    private final Map<String, CoalescedLeaderCalls> coalesced = new ConcurrentHashMap<>();
    private final ExecutorService completions;
    private final ExecutorService peerRequests;
    private final ExecutorService snapshots;
    private final ScheduledExecutorService retries;
    private final RosterStateMachine stateMachine;
    private final AtomicBoolean snapshotRunning = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Map<String, Long> unreachableSince = new ConcurrentHashMap<>();
    private volatile RaftObserver observer = RaftObserver.NONE;
    private RaftGroupService group;
    private RpcClient rpcClient;
    private volatile Node node;

    public RaftNode(RaftSettings settings, RosterStore store) {
        this.settings = settings;
        this.store = store;
        this.completions = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                daemonThreads("roster-complete"));
        this.peerRequests = Executors.newFixedThreadPool(4, daemonThreads("roster-peer"));
        this.snapshots = Executors.newSingleThreadExecutor(daemonThreads("roster-snapshot"));
        this.retries = Executors.newSingleThreadScheduledExecutor(daemonThreads("roster-retry"));
        this.stateMachine = new RosterStateMachine(store, snapshots, this::maybeSnapshot,
                (nanos, bytes) -> observer.onSnapshotSaved(nanos, bytes));
        protocol.serve(PROPOSE, this::applyLocally);
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
        try {
            node = group.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start Raft on peer address " + settings.self() + listeningOn() + ": " + e.getMessage(), e);
        }
        if (node == null) {
            throw new IllegalStateException("cannot start Raft on peer address " + settings.self() + listeningOn()
                    + " (is the port in use, or the data dir damaged?)");
        }
        node.addReplicatorStateListener(new ReachabilityTracker());
        rpcClient = settings.transport().newClient();
        log.info("Raft node {} started in group {} with data in {}, peers over {}", self, settings.groupId(), raftDir,
                settings.transport());
    }

    private String listeningOn() {
        return settings.listenPort() == settings.self().port() ? "" : " (listening on port " + settings.listenPort() + ")";
    }

    public void addLeadershipListener(LeadershipListener listener) {
        stateMachine.addLeadershipListener(listener);
    }

    /** Asks members questions on their peer ports, over this node's transport. */
    public PeerProbe probe() {
        return new PeerProbe(settings.transport());
    }

    /** The peer operations this member serves: bound before {@link #start}, in the node's wiring. */
    public PeerProtocol protocol() {
        return protocol;
    }

    // ---- configuration changes, on the leader; JRaft allows one at a time ----

    /** The voters and learners of the current configuration, as peer addresses; empty off the leader. */
    public Membership configuration() {
        Node current = node;
        if (current == null || !current.isLeader()) {
            return new Membership(List.of(), List.of());
        }
        return new Membership(peersWhileLeading(current::listPeers), peersWhileLeading(current::listLearners));
    }

    /** Voters and learners as JRaft's configuration holds them ({@code host:port}). */
    public record Membership(List<String> voters, List<String> learners) {
    }

    public CompletableFuture<Void> addLearner(PeerUrl peer) {
        return configurationChange(done -> requireNode().addLearners(List.of(peerId(peer)), done), "add learner " + peer);
    }

    /**
     * Makes a learner a voter. JRaft refuses a joint configuration in which one peer is a learner on one
     * side and a voter on the other, so this is two changes: stop it being a learner, then add it as a
     * voter (JRaft first waits for it to catch up, which it just has). A failure between the two leaves it
     * outside the configuration, which never weakens quorum; the reconciler adds it back as a learner.
     */
    public CompletableFuture<Void> promote(PeerUrl peer) {
        PeerId id = peerId(peer);
        return configurationChange(done -> requireNode().removeLearners(List.of(id), done), "promote " + peer + " (leave learners)")
                .thenCompose(ignored -> appendingUntilDone(
                        configurationChange(done -> requireNode().addPeer(id, done), "promote " + peer)));
    }

    /**
     * JRaft learns that a peer being added has caught up only from a successful append to it. When the
     * new peer is already up to date, its first probe can be answered before JRaft starts waiting (a
     * narrow race that a loaded machine hits), and on an idle log no append ever follows: the change
     * would wait forever. Appending no-op entries until the change completes supplies those appends.
     */
    private CompletableFuture<Void> appendingUntilDone(CompletableFuture<Void> change) {
        byte[] noop = StoreCodec.encodeCommand(Noop.INSTANCE);
        long period = Math.max(50, settings.electionTimeout().toMillis() / 4);
        ScheduledFuture<?> appends = retries.scheduleWithFixedDelay(() -> {
            if (isLeader()) {
                applyLocally(noop); // a failure here is harmless: the change itself reports its outcome
            }
        }, 0, period, TimeUnit.MILLISECONDS);
        change.whenComplete((ignored, error) -> appends.cancel(false));
        return change;
    }

    /** Removes a voter or a learner at this address from the configuration. */
    public CompletableFuture<Void> removeFromConfiguration(String peerAddress) {
        PeerId peer = PeerId.parsePeer(peerAddress);
        return configurationChange(done -> {
            Node current = requireNode();
            if (current.listLearners().contains(peer)) {
                current.removeLearners(List.of(peer), done);
            } else {
                current.removePeer(peer, done);
            }
        }, "remove " + peerAddress);
    }

    public CompletableFuture<Void> transferLeadershipTo(PeerUrl peer) {
        Status status = requireNode().transferLeadershipTo(peerId(peer));
        return status.isOk() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new IllegalStateException("cannot transfer leadership to " + peer + ": "
                + status.getErrorMsg()));
    }

    /**
     * Makes this member the only voter, with no quorum needed: the last resort after losing a majority
     * for good (etcd's --force-new-cluster). The caller must have made sure no quorum is reachable.
     */
    public void resetToSelf() {
        Status status = requireNode().resetPeers(new Configuration(List.of(peerId(settings.self()))));
        if (!status.isOk()) {
            throw new IllegalStateException("cannot reset the configuration to this member: " + status.getErrorMsg());
        }
    }

    private CompletableFuture<Void> configurationChange(java.util.function.Consumer<com.alipay.sofa.jraft.Closure> change,
                                                       String what) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            change.accept(status -> {
                if (status.isOk()) {
                    completions.execute(() -> done.complete(null));
                } else {
                    completions.execute(() -> done.completeExceptionally(
                            new IllegalStateException(what + " failed: " + status.getErrorMsg())));
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(new IllegalStateException(what + " failed: " + e.getMessage(), e));
        }
        return done;
    }

    /**
     * Replicates a command and completes with the result every replica computes for it. Proposals made
     * on a follower are forwarded to the leader.
     */
    public CompletableFuture<CommandResult> propose(Command command) {
        long start = System.nanoTime();
        byte[] entry = StoreCodec.encodeCommand(command);
        CompletableFuture<CommandResult> result = routeToLeader(PROPOSE, entry, () -> applyLocally(entry), false);
        result.whenComplete((ignored, error) -> observer.onProposal(System.nanoTime() - start, error != null));
        return result;
    }

    /**
     * Replicates a command only if this node leads in {@code term}, and never forwards it: for decisions
     * that are this term's leader's alone, such as expiring a lease on its clock. A leader deposed since
     * (a paused one may not know it yet) appends nothing and fails with {@link NotLeaderException};
     * forwarding its decision to the new leader would expire leases the new leader has been renewing.
     */
    public CompletableFuture<CommandResult> proposeInTerm(Command command, long term) {
        long start = System.nanoTime();
        CompletableFuture<CommandResult> result = applyLocally(StoreCodec.encodeCommand(command), term);
        result.whenComplete((ignored, error) -> observer.onProposal(System.nanoTime() - start, error != null));
        return result;
    }

    public void setObserver(RaftObserver observer) {
        this.observer = observer;
    }

    /**
     * Runs a leader's operation on the leader and answers with what it returned. The operation must be
     * idempotent: a call whose answer was lost is sent again.
     */
    public <Q, A> CompletableFuture<A> callLeader(PeerOperation<Q, A> operation, Q request) {
        if (operation.servedBy() != PeerOperation.Served.BY_LEADER) {
            throw new IllegalArgumentException("peer operation " + operation + " is not the leader's");
        }
        return routeToLeader(operation, operation.request().encode(request), () -> protocol.callHere(operation, request), true);
    }

    /**
     * {@link #callLeader} for an idempotent operation called often and concurrently (heartbeats): on a
     * follower, calls that overlap travel to the leader together ({@link CoalescedLeaderCalls}), when the
     * operation is at version 1, which is what a batch carries.
     */
    public <Q, A> CompletableFuture<A> callLeaderCoalesced(PeerOperation<Q, A> operation, Q request) {
        if (isLeader() || operation.version() != 1) {
            return callLeader(operation, request);
        }
        CoalescedLeaderCalls calls = coalesced.computeIfAbsent(operation.name(), name -> new CoalescedLeaderCalls(name,
                (sent, body) -> sent.equals(LeaderCallBatch.OPERATION.name())
                        ? routeToLeader(LeaderCallBatch.OPERATION, body, () -> protocol.callHere(LeaderCallBatch.OPERATION, body), true)
                        : routeToLeader(operation, body, () -> protocol.callHere(operation, operation.request().decode(body)), true)
                                .thenApply(answer -> operation.answer().encode(answer)),
                System::nanoTime, count -> observer.onCoalescedCalls(name, count)));
        return calls.call(operation.request().encode(request)).thenApply(operation.answer()::decode);
    }

    /**
     * Completes once this node has applied every entry committed before the call: reads made after it
     * are linearizable, on the leader and on followers alike (Raft's ReadIndex).
     */
    public CompletableFuture<Void> readBarrier(ReadConsistency consistency) {
        return consistency == ReadConsistency.SERIALIZABLE ? CompletableFuture.completedFuture(null) : readBarrier();
    }

    public CompletableFuture<Void> readBarrier() {
        long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
        return withRetries(this::readIndexOnce, deadline, "a linearizable read");
    }

    private CompletableFuture<Void> readIndexOnce() {
        CompletableFuture<Void> barrier = new CompletableFuture<>();
        Node current = requireNode();
        current.readIndex(NO_CONTEXT, new ReadIndexClosure() {
            @Override
            public void run(Status status, long index, byte[] requestContext) {
                if (status.isOk()) {
                    completions.execute(() -> barrier.complete(null));
                } else {
                    completions.execute(() -> barrier.completeExceptionally(new NotLeaderException(status.getErrorMsg())));
                }
            }
        });
        return barrier;
    }

    private CompletableFuture<CommandResult> applyLocally(byte[] entry) {
        return applyLocally(entry, ANY_TERM);
    }

    private CompletableFuture<CommandResult> applyLocally(byte[] entry, long expectedTerm) {
        try {
            StoreCodec.decodeCommand(entry); // nothing that cannot be decoded may reach the log
        } catch (CorruptEntryException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("malformed command: " + e.getMessage(), e));
        }
        ProposalClosure closure = new ProposalClosure(completions);
        Task task = new Task(ByteBuffer.wrap(entry), closure);
        task.setExpectedTerm(expectedTerm);
        requireNode().apply(task);
        return closure.future();
    }

    /**
     * Runs {@code local} if this node leads, otherwise sends the request to the leader; retries while
     * there is no leader or the target has just lost leadership, until the request timeout.
     *
     * @param idempotent whether a request whose answer was lost may be sent again
     */
    private <A> CompletableFuture<A> routeToLeader(PeerOperation<?, A> operation, byte[] request, Supplier<CompletableFuture<A>> local,
                                                   boolean idempotent) {
        long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
        return withRetries(() -> isLeader() ? local.get() : forward(operation, request, idempotent, deadline),
                deadline, operation.name());
    }

    private <A> CompletableFuture<A> forward(PeerOperation<?, A> operation, byte[] request, boolean idempotent, long deadline) {
        PeerId leader = requireNode().getLeaderId();
        if (leader == null || leader.isEmpty()) {
            return CompletableFuture.failedFuture(new NotLeaderException("no leader is known"));
        }
        CompletableFuture<A> answer = new CompletableFuture<>();
        long timeoutMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        try {
            rpcClient.invokeAsync(leader.getEndpoint(), new PeerRequest(operation.name(), operation.version(), request), (result, error) -> {
                if (error != null) {
                    // Connection failures surface synchronously below; an error here may follow a delivered request.
                    answer.completeExceptionally(idempotent
                            ? new NotLeaderException("leader " + leader + " unreachable: " + error.getMessage())
                            : new RaftUnavailableException("lost the answer from leader " + leader
                                    + " (" + error.getMessage() + "); the write may or may not have been applied", true));
                    return;
                }
                PeerResponse response = (PeerResponse) result;
                switch (response.status()) {
                    case PeerResponse.OK -> {
                        try {
                            answer.complete(operation.answer().decode(response.body()));
                        } catch (RuntimeException e) {
                            answer.completeExceptionally(e);
                        }
                    }
                    case PeerResponse.NOT_LEADER -> answer.completeExceptionally(new NotLeaderException(response.message()));
                    case PeerResponse.UNKNOWN_OPERATION -> answer.completeExceptionally(
                            new UnknownPeerOperationException(response.message()));
                    case PeerResponse.UNSUPPORTED_VERSION -> answer.completeExceptionally(
                            new UnsupportedPeerVersionException("the leader " + leader + " refused " + operation + ": "
                                    + response.message()));
                    default -> answer.completeExceptionally(new RaftUnavailableException(response.message(), !idempotent));
                }
            }, timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.completeExceptionally(new RaftUnavailableException("interrupted", false));
        } catch (RemotingException e) {
            answer.completeExceptionally(new NotLeaderException("cannot reach leader " + leader + ": " + e.getMessage()));
        }
        return answer;
    }

    /** Retries {@code attempt} after a {@link NotLeaderException} until the deadline; other failures end it. */
    private <T> CompletableFuture<T> withRetries(Supplier<CompletableFuture<T>> attempt, long deadline, String what) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        AtomicInteger tries = new AtomicInteger();
        Runnable[] run = new Runnable[1];
        run[0] = () -> {
            tries.incrementAndGet();
            CompletableFuture<T> once;
            try {
                once = attempt.get();
            } catch (RuntimeException e) {
                once = CompletableFuture.failedFuture(e);
            }
            long remaining = deadline - System.nanoTime();
            once.orTimeout(Math.max(1, remaining), TimeUnit.NANOSECONDS).whenComplete((value, error) -> {
                if (error == null) {
                    outcome.complete(value);
                    return;
                }
                Throwable cause = unwrap(error);
                if (cause instanceof NotLeaderException && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_DELAY_MILLIS) < deadline
                        && !retries.isShutdown()) {
                    retries.schedule(run[0], RETRY_DELAY_MILLIS, TimeUnit.MILLISECONDS);
                } else if (cause instanceof NotLeaderException) {
                    outcome.completeExceptionally(new RaftUnavailableException("no leader could serve " + what + " within "
                            + settings.requestTimeout().toMillis() + " ms (" + cause.getMessage() + ")", false));
                } else if (cause instanceof java.util.concurrent.TimeoutException) {
                    outcome.completeExceptionally(new RaftUnavailableException(what + " did not complete within "
                            + settings.requestTimeout().toMillis() + " ms; a write may or may not have been applied", true));
                } else {
                    outcome.completeExceptionally(cause);
                }
            });
        };
        run[0].run();
        return outcome;
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private void maybeSnapshot(long appliedIndex) {
        if (settings.snapshotEntries() > 0
                && appliedIndex - stateMachine.lastSnapshotIndex() >= settings.snapshotEntries()
                && snapshotRunning.compareAndSet(false, true)) {
            snapshots.execute(() -> snapshot().whenComplete((ok, error) -> snapshotRunning.set(false)));
        }
    }

    /** Takes a snapshot now; JRaft then truncates the log up to the previous one. */
    public CompletableFuture<Void> snapshot() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        requireNode().snapshot(status -> {
            if (status.isOk()) {
                done.complete(null);
            } else {
                done.completeExceptionally(new IllegalStateException("snapshot failed: " + status.getErrorMsg()));
            }
        });
        return done;
    }

    /**
     * Whether the entry at {@code index} has been truncated from this node's log into a snapshot: a
     * member that still needs it can only catch up by snapshot install.
     */
    public boolean isCompacted(long index) {
        try {
            requireNode().readCommittedUserLog(index);
            return false;
        } catch (LogNotFoundException e) {
            return true;
        } catch (LogIndexOutOfBoundsException e) {
            return false; // not applied yet, so certainly not compacted
        }
    }

    /**
     * The leader's view of every other member; empty on followers, which do not know it.
     *
     * @param laggingThreshold entries behind the leader's log beyond which a reachable member is lagging
     */
    public List<PeerState> peerStates(long laggingThreshold) {
        Node current = node;
        if (current == null || !current.isLeader()) {
            return List.of();
        }
        String self = peerId(settings.self()).toString();
        java.util.Set<String> alive = new java.util.HashSet<>(peersWhileLeading(current::listAlivePeers));
        alive.addAll(peersWhileLeading(current::listAliveLearners));
        Map<String, com.codahale.metrics.Metric> metrics = jraftMetrics();
        List<PeerState> states = new java.util.ArrayList<>();
        for (String learnerOrVoter : new String[] {"voter", "learner"}) {
            boolean learner = learnerOrVoter.equals("learner");
            for (String peer : peersWhileLeading(learner ? current::listLearners : current::listPeers)) {
                if (peer.equals(self)) {
                    continue;
                }
                long lag = gaugeValue(metrics.get("replicator-" + settings.groupId() + "/" + peer + ".log-lags"));
                if (alive.contains(peer)) {
                    unreachableSince.remove(peer);
                    states.add(new PeerState(peer, learner, lag > laggingThreshold ? PeerState.State.LAGGING
                            : PeerState.State.REPLICATING, lag, null));
                } else {
                    long since = unreachableSince.computeIfAbsent(peer, p -> System.nanoTime());
                    states.add(new PeerState(peer, learner, PeerState.State.UNREACHABLE, lag,
                            java.time.Duration.ofNanos(System.nanoTime() - since)));
                }
            }
        }
        return states;
    }

    private static long gaugeValue(com.codahale.metrics.Metric metric) {
        if (metric instanceof com.codahale.metrics.Gauge<?> gauge && gauge.getValue() instanceof Number number) {
            return Math.max(0, number.longValue());
        }
        return 0;
    }

    /** Remembers when the leader lost contact with each member, for "unreachable for N s". */
    private final class ReachabilityTracker implements com.alipay.sofa.jraft.core.Replicator.ReplicatorStateListener {
        @Override
        public void onCreated(PeerId peer) {
            unreachableSince.remove(peer.toString());
        }

        @Override
        public void onError(PeerId peer, Status status) {
            unreachableSince.putIfAbsent(peer.toString(), System.nanoTime());
        }

        @Override
        public void onDestroyed(PeerId peer) {
            unreachableSince.remove(peer.toString());
        }

        @Override
        public void stateChanged(PeerId peer, ReplicatorState state) {
            if (state == ReplicatorState.OFFLINE) {
                unreachableSince.putIfAbsent(peer.toString(), System.nanoTime());
            } else if (state == ReplicatorState.ONLINE) {
                unreachableSince.remove(peer.toString());
            }
        }
    }

    /**
     * Drops this member's pooled peer connections to {@code peerAddress}, so that the next message to it opens a
     * new one (see {@code io.roster.cluster.PeerReconnector} for when bolt needs that).
     */
    public void reconnect(String peerAddress) {
        if (node instanceof com.alipay.sofa.jraft.core.NodeImpl current) {
            current.getRpcService().disconnect(PeerId.parsePeer(peerAddress).getEndpoint());
        }
    }

    public boolean isLeader() {
        Node current = node;
        return current != null && current.isLeader();
    }

    public RaftStatus status() {
        Node current = node;
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
                leader == null || leader.isEmpty() ? java.time.Duration.ofNanos(stateMachine.leaderlessNanos()) : java.time.Duration.ZERO,
                failure());
    }

    /** JRaft's timer {@code name} ({@code append-logs}, {@code fsm-apply-tasks}, ...), or none before start. */
    public JRaftTiming jraftTiming(String name) {
        if (!(jraftMetrics().get(name) instanceof com.codahale.metrics.Timer timer)) {
            return JRaftTiming.NONE;
        }
        com.codahale.metrics.Snapshot snapshot = timer.getSnapshot();
        double[] seconds = new double[JRaftTiming.QUANTILES.length];
        for (int i = 0; i < seconds.length; i++) {
            seconds[i] = snapshot.getValue(JRaftTiming.QUANTILES[i]) / 1e9;
        }
        return new JRaftTiming(timer.getCount(), seconds);
    }

    /** JRaft's Dropwizard metrics for this node (log append, replication, apply), or an empty map before start. */
    private java.util.Map<String, com.codahale.metrics.Metric> jraftMetrics() {
        Node current = node;
        return current == null || current.getNodeMetrics() == null ? java.util.Map.of() : current.getNodeMetrics().getMetrics();
    }

    public RosterStore store() {
        return store;
    }

    /** The peer address JRaft uses for a member ({@code host:port}). */
    public static String peerAddress(PeerUrl url) {
        return url.host() + ":" + url.port();
    }

    private static List<String> peersWhileLeading(Supplier<List<PeerId>> peers) {
        try {
            return peers.get().stream().map(PeerId::toString).toList();
        } catch (IllegalStateException e) {
            return List.of(); // leadership ended between the check and the call
        }
    }

    private static PeerId peerId(PeerUrl url) {
        return new PeerId(url.host(), url.port());
    }

    private Node requireNode() {
        Node current = node;
        if (current == null) {
            throw new RaftUnavailableException("the Raft node is not running", false);
        }
        String failure = failure();
        if (failure != null) {
            // JRaft's node stays in its error state: only a restart brings the member back.
            throw new RaftUnavailableException("this member stopped after a failure of its " + failure + "; send requests to"
                    + " another member, and restart this one once the cause is fixed (a full disk, for example)", false);
        }
        return current;
    }

    /** Why JRaft stopped this node (a failing disk, an entry it cannot apply), or null while it runs. */
    public String failure() {
        String failure = stateMachine.failure();
        if (failure != null) {
            return failure;
        }
        // JRaft enters its error state before it tells the state machine why.
        Node current = node;
        return current != null && current.getNodeState() == com.alipay.sofa.jraft.core.State.STATE_ERROR
                ? "Raft node (in its error state)" : null;
    }

    /** A node stopped by a failure no longer reads its log indexes: then the last index this member applied. */
    private long logIndex(java.util.function.LongSupplier index) {
        try {
            return index.getAsLong();
        } catch (IllegalStateException stopped) {
            return stateMachine.appliedIndex();
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        retries.shutdownNow();
        if (group != null) {
            group.shutdown();
            try {
                group.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        node = null;
        if (rpcClient != null) {
            rpcClient.shutdown();
        }
        snapshots.shutdown();
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
