package io.roster.ops;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.roster.cluster.MemberDirectory;
import io.roster.raft.PeerState;
import io.roster.raft.RaftNode;
import io.roster.raft.RaftObserver;
import io.roster.raft.RaftStatus;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Raft view for Prometheus: role, term, indexes, leader changes, member states and lag (on the
 * leader), proposal latency and failures, snapshots. Peer labels are member names, so their number is
 * the number of members, never the number of keys or clients.
 */
public final class RaftMetrics implements MeterBinder, RaftObserver {

    private final RaftNode raft;
    private final MemberDirectory members;
    private final long laggingThreshold;
    private final AtomicLong lastSnapshotBytes = new AtomicLong();
    private Timer proposals;
    private io.micrometer.core.instrument.Counter failedProposals;
    private Timer snapshots;
    private MultiGauge peerLag;
    private volatile MeterRegistry registry;
    private final Map<String, DistributionSummary> coalescedCalls = new java.util.concurrent.ConcurrentHashMap<>();

    public RaftMetrics(RaftNode raft, MemberDirectory members, long laggingThreshold) {
        this.raft = raft;
        this.members = members;
        this.laggingThreshold = laggingThreshold;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("roster.raft.is.leader", () -> status().leader() ? 1 : 0)
                .description("1 on the member that is the Raft leader, 0 elsewhere").register(registry);
        Gauge.builder("roster.raft.has.leader", () -> status().hasLeader() ? 1 : 0)
                .description("1 when this member knows a leader").register(registry);
        Gauge.builder("roster.raft.term", () -> status().term())
                .description("The Raft term this member is in").register(registry);
        Gauge.builder("roster.raft.commit.index", () -> status().committedIndex())
                .description("The highest log index this member knows to be committed").register(registry);
        Gauge.builder("roster.raft.applied.index", () -> status().appliedIndex())
                .description("The highest log index this member has applied to its store").register(registry);
        FunctionCounter.builder("roster.raft.leader.changes", raft, node -> node.status().leaderChanges())
                .description("Times this member saw a new leader (itself or another)").register(registry);
        for (PeerState.State state : PeerState.State.values()) {
            String name = state.name().toLowerCase(Locale.ROOT);
            Gauge.builder("roster.raft.members", () -> memberCounts().get(state))
                    .tag("state", name)
                    .description("Other members by state as the leader sees them (0 on followers)").register(registry);
        }
        Gauge.builder("roster.raft.members", () -> raftLearners())
                .tag("state", "learner")
                .description("Other members by state as the leader sees them (0 on followers)").register(registry);
        peerLag = MultiGauge.builder("roster.raft.peer.lag")
                .baseUnit("entries")
                .description("Entries each member is behind the leader's log (on the leader)").register(registry);
        proposals = Timer.builder("roster.raft.proposal")
                .description("Time from proposing a write to its commit and apply, including forwarding to the leader")
                .publishPercentiles(0.5, 0.99).register(registry);
        failedProposals = io.micrometer.core.instrument.Counter.builder("roster.raft.proposals.failed")
                .description("Proposals that were not committed, or whose outcome is unknown").register(registry);
        snapshots = Timer.builder("roster.raft.snapshot.save")
                .description("Time to save a snapshot of the store").register(registry);
        Gauge.builder("roster.raft.snapshot.size", lastSnapshotBytes, AtomicLong::get).baseUnit("bytes")
                .description("Size of the last snapshot this member saved").register(registry);
        this.registry = registry;
        raft.setObserver(this);
    }

    /** Refreshes the per-member lag rows; called on a timer, since members come and go. */
    public void refreshPeerLag() {
        if (peerLag == null) {
            return;
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (PeerState peer : raft.peerStates(laggingThreshold)) {
            rows.add(MultiGauge.Row.of(Tags.of("peer", members.nameOfPeer(peer.peer())), peer.lagEntries()));
        }
        peerLag.register(rows, true);
    }

    private Map<PeerState.State, Integer> memberCounts() {
        Map<PeerState.State, Integer> counts = new EnumMap<>(PeerState.State.class);
        for (PeerState.State state : PeerState.State.values()) {
            counts.put(state, 0);
        }
        raft.peerStates(laggingThreshold).forEach(peer -> counts.merge(peer.state(), 1, Integer::sum));
        return counts;
    }

    private int raftLearners() {
        return (int) raft.peerStates(laggingThreshold).stream().filter(PeerState::learner).count();
    }

    private RaftStatus status() {
        return raft.status();
    }

    @Override
    public void onCoalescedCalls(String operation, int calls) {
        MeterRegistry bound = registry;
        if (bound != null) {
            coalescedCalls.computeIfAbsent(operation, name -> DistributionSummary.builder("roster.peer.coalesced.calls")
                    .tag("operation", name)
                    .description("Calls per message a follower sends the leader for a coalesced operation (heartbeats, keep-alives)")
                    .register(bound)).record(calls);
        }
    }

    @Override
    public void onProposal(long nanos, boolean failed) {
        if (proposals != null) {
            proposals.record(nanos, TimeUnit.NANOSECONDS);
            if (failed) {
                failedProposals.increment();
            }
        }
    }

    @Override
    public void onSnapshotSaved(long nanos, long bytes) {
        if (snapshots != null) {
            snapshots.record(nanos, TimeUnit.NANOSECONDS);
        }
        lastSnapshotBytes.set(bytes);
    }
}
