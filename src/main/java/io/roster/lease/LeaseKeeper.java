package io.roster.lease;

import io.roster.raft.LeadershipListener;
import io.roster.raft.NotLeaderException;
import io.roster.raft.RaftNode;
import io.roster.store.Lease;
import io.roster.store.RosterStore;
import io.roster.store.StoreListener;
import io.roster.store.command.CheckpointLeases;
import io.roster.store.command.RevokeLease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The only clock leases have. While this node leads it keeps each lease's deadline on a monotonic clock,
 * renews deadlines on keep-alives (which are not log entries), and proposes the revocation of leases
 * whose deadline passed. A new leader starts every countdown at the lease's checkpointed remaining TTL
 * (the full TTL unless a checkpoint says less) plus one election timeout, so a failover never expires a
 * live lease early. Followers keep no deadlines at all.
 */
public final class LeaseKeeper implements LeadershipListener, StoreListener {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);
    /** Marks a lease whose revocation has been proposed: keep-alives for it now fail. */
    private static final long REVOKING = Long.MIN_VALUE;
    private static final int CHECKPOINT_BATCH = 1000;

    private final RaftNode raft;
    private final RosterStore store;
    private final LongSupplier nanoClock;
    private final long extensionNanos;
    private final long checkpointIntervalNanos;
    private final int maxRevocationsPerSecond;
    private final Map<Long, Long> deadlines = new ConcurrentHashMap<>();
    private volatile boolean active;
    private long nextCheckpointNanos;
    private long revocationBudgetNanos;
    private double revocationTokens;

    public LeaseKeeper(RaftNode raft, RosterStore store, LongSupplier nanoClock, Duration extension,
                       Duration checkpointInterval, int maxRevocationsPerSecond) {
        this.raft = raft;
        this.store = store;
        this.nanoClock = nanoClock;
        this.extensionNanos = extension.toNanos();
        this.checkpointIntervalNanos = checkpointInterval.toNanos();
        this.maxRevocationsPerSecond = maxRevocationsPerSecond;
    }

    @Override
    public void onLeaderStart(long term) {
        long now = nanoClock.getAsLong();
        deadlines.clear();
        for (Lease lease : store.leases()) {
            deadlines.put(lease.id(), now + lease.countdownMillis() * 1_000_000 + extensionNanos);
        }
        synchronized (this) {
            nextCheckpointNanos = now + checkpointIntervalNanos;
            revocationBudgetNanos = now;
            revocationTokens = 0;
        }
        active = true;
        log.info("Lease clock started for {} leases in term {}", deadlines.size(), term);
    }

    @Override
    public void onLeaderStop() {
        active = false;
        deadlines.clear();
    }

    @Override
    public void onLeaseGranted(Lease lease) {
        if (active) {
            deadlines.put(lease.id(), nanoClock.getAsLong() + lease.ttlSeconds() * 1_000_000_000L);
        }
    }

    @Override
    public void onLeaseRemoved(long leaseId) {
        deadlines.remove(leaseId);
    }

    /**
     * Restarts a lease's countdown at its full TTL. Completes with the TTL, or null when the lease does
     * not exist or has already expired. Fails with {@link NotLeaderException} off the leader.
     */
    public CompletableFuture<Long> renew(long leaseId) {
        requireActive();
        Lease lease = store.lease(leaseId);
        if (lease == null) {
            return CompletableFuture.completedFuture(null);
        }
        long now = nanoClock.getAsLong();
        long ttlNanos = lease.ttlSeconds() * 1_000_000_000L;
        Long renewed = deadlines.compute(leaseId, (id, deadline) ->
                deadline != null && (deadline == REVOKING || deadline <= now) ? deadline : now + ttlNanos);
        if (renewed == null || renewed == REVOKING || renewed <= now) {
            return CompletableFuture.completedFuture(null);
        }
        if (lease.checkpointedRemainingMillis() == Lease.NO_CHECKPOINT) {
            return CompletableFuture.completedFuture(lease.ttlSeconds());
        }
        // A checkpoint says less than the full TTL remains; clear it before answering, or a leader change
        // right after this renewal would restart the countdown from the stale, shorter time.
        CheckpointLeases clear = new CheckpointLeases(List.of(new CheckpointLeases.Checkpoint(leaseId, Lease.NO_CHECKPOINT)));
        return raft.propose(clear).thenApply(result -> lease.ttlSeconds());
    }

    /** Milliseconds left before the lease expires, or null when it does not exist or has expired. */
    public Long remainingMillis(long leaseId) {
        requireActive();
        Long deadline = deadlines.get(leaseId);
        if (deadline == null || deadline == REVOKING || store.lease(leaseId) == null) {
            return null;
        }
        return Math.max(0, (deadline - nanoClock.getAsLong()) / 1_000_000);
    }

    /** Proposes revocation of expired leases (within the rate limit) and due checkpoints. Called periodically. */
    public synchronized void tick() {
        if (!active) {
            return;
        }
        long now = nanoClock.getAsLong();
        revokeExpired(now);
        if (now - nextCheckpointNanos >= 0) {
            nextCheckpointNanos = now + checkpointIntervalNanos;
            checkpointLongLeases(now);
        }
    }

    private void revokeExpired(long now) {
        revocationTokens = Math.min(maxRevocationsPerSecond,
                revocationTokens + (now - revocationBudgetNanos) / 1e9 * maxRevocationsPerSecond);
        revocationBudgetNanos = now;
        for (Map.Entry<Long, Long> entry : deadlines.entrySet()) {
            if (revocationTokens < 1) {
                return;
            }
            long leaseId = entry.getKey();
            long deadline = entry.getValue();
            if (deadline == REVOKING || deadline > now || !deadlines.replace(leaseId, deadline, REVOKING)) {
                continue;
            }
            revocationTokens -= 1;
            raft.propose(new RevokeLease(leaseId, true)).whenComplete((result, error) -> {
                if (error != null) {
                    // Still expired; the next tick tries again if this node still leads.
                    deadlines.replace(leaseId, REVOKING, now);
                    log.debug("Revocation of expired lease {} not committed: {}", leaseId, error.getMessage());
                }
            });
        }
    }

    private void checkpointLongLeases(long now) {
        List<CheckpointLeases.Checkpoint> batch = new ArrayList<>();
        for (Map.Entry<Long, Long> entry : deadlines.entrySet()) {
            Lease lease = store.lease(entry.getKey());
            long deadline = entry.getValue();
            if (lease == null || deadline == REVOKING || lease.ttlSeconds() * 1_000_000_000L <= checkpointIntervalNanos) {
                continue;
            }
            batch.add(new CheckpointLeases.Checkpoint(lease.id(), Math.max(0, (deadline - now) / 1_000_000)));
            if (batch.size() == CHECKPOINT_BATCH) {
                raft.propose(new CheckpointLeases(batch));
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            raft.propose(new CheckpointLeases(batch));
        }
    }

    public boolean active() {
        return active;
    }

    private void requireActive() {
        if (!active) {
            throw new NotLeaderException("this node does not hold the lease clock");
        }
    }
}
