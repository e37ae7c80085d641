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
 * live lease early. Followers keep no deadlines at all. What the clock decides (revocations, checkpoints)
 * is proposed in the term it was decided in and never forwarded: a leader that was paused past its
 * leases' deadlines must not expire, through the new leader, leases the new leader kept renewing.
 */
public final class LeaseKeeper implements LeadershipListener, StoreListener {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);
    private static final int CHECKPOINT_BATCH = 1000;

    private final RaftNode raft;
    private final RosterStore store;
    private final LongSupplier nanoClock;
    private final long extensionNanos;
    private final long checkpointIntervalNanos;
    private final int maxRevocationsPerSecond;
    private final Map<Long, Countdown> countdowns = new ConcurrentHashMap<>();
    private final ExpiryQueue expiryQueue = new ExpiryQueue();
    private volatile boolean active;
    /** The term this node leads in while active: what it proposes is refused once another leads. */
    private volatile long leaderTerm;
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
        countdowns.clear();
        for (Lease lease : store.leases()) {
            countdowns.put(lease.id(), new Countdown(lease.id(), ttlNanos(lease),
                    now + lease.countdownMillis() * 1_000_000 + extensionNanos));
        }
        expiryQueue.replaceAll(countdowns.values());
        synchronized (this) {
            nextCheckpointNanos = now + checkpointIntervalNanos;
            revocationBudgetNanos = now;
            revocationTokens = 0;
        }
        leaderTerm = term;
        active = true;
        log.info("Lease clock started for {} leases in term {}", countdowns.size(), term);
    }

    @Override
    public void onLeaderStop() {
        active = false;
        countdowns.clear();
        expiryQueue.clear();
    }

    @Override
    public void onLeaseGranted(Lease lease) {
        if (active) {
            Countdown countdown = new Countdown(lease.id(), ttlNanos(lease), nanoClock.getAsLong() + ttlNanos(lease));
            countdowns.put(lease.id(), countdown);
            expiryQueue.add(countdown);
        }
    }

    @Override
    public void onLeaseRemoved(long leaseId) {
        // The expiry queue drops the countdown when it comes up: removing it here would cost a linear scan.
        countdowns.remove(leaseId);
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
        Countdown countdown = countdowns.get(leaseId);
        if (countdown == null || !countdown.renew(nanoClock.getAsLong())) {
            return CompletableFuture.completedFuture(null);
        }
        if (lease.checkpointedRemainingMillis() == Lease.NO_CHECKPOINT) {
            return CompletableFuture.completedFuture(lease.ttlSeconds());
        }
        // A checkpoint says less than the full TTL remains; clear it before answering, or a leader change
        // right after this renewal would restart the countdown from the stale, shorter time.
        CheckpointLeases clear = new CheckpointLeases(List.of(new CheckpointLeases.Checkpoint(leaseId, Lease.NO_CHECKPOINT)));
        return raft.proposeInTerm(clear, leaderTerm).thenApply(result -> lease.ttlSeconds());
    }

    /** Milliseconds left before the lease expires, or null when it does not exist or has expired. */
    public Long remainingMillis(long leaseId) {
        requireActive();
        Countdown countdown = countdowns.get(leaseId);
        long deadline = countdown == null ? Countdown.REVOKING : countdown.deadline();
        if (deadline == Countdown.REVOKING || store.lease(leaseId) == null) {
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
        expiryQueue.revokeExpired(now, countdown -> countdowns.get(countdown.leaseId) == countdown,
                new ExpiryQueue.Revoker() {
                    @Override
                    public boolean mayRevoke() {
                        return revocationTokens >= 1;
                    }

                    @Override
                    public void revoke(Countdown expired) {
                        revocationTokens -= 1;
                        proposeRevocation(expired, now);
                    }
                });
    }

    private void proposeRevocation(Countdown expired, long now) {
        raft.proposeInTerm(new RevokeLease(expired.leaseId, true), leaderTerm).whenComplete((result, error) -> {
            if (error != null) {
                // Still expired; a later tick tries again if this node still leads.
                expired.releaseClaim(now);
                if (countdowns.get(expired.leaseId) == expired) {
                    expiryQueue.add(expired);
                }
                log.debug("Revocation of expired lease {} not committed: {}", expired.leaseId, error.getMessage());
            }
        });
    }

    private void checkpointLongLeases(long now) {
        List<CheckpointLeases.Checkpoint> batch = new ArrayList<>();
        for (Countdown countdown : countdowns.values()) {
            Lease lease = store.lease(countdown.leaseId);
            long deadline = countdown.deadline();
            if (lease == null || deadline == Countdown.REVOKING || ttlNanos(lease) <= checkpointIntervalNanos) {
                continue;
            }
            batch.add(new CheckpointLeases.Checkpoint(lease.id(), Math.max(0, (deadline - now) / 1_000_000)));
            if (batch.size() == CHECKPOINT_BATCH) {
                raft.proposeInTerm(new CheckpointLeases(batch), leaderTerm);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            raft.proposeInTerm(new CheckpointLeases(batch), leaderTerm);
        }
    }

    private static long ttlNanos(Lease lease) {
        return lease.ttlSeconds() * 1_000_000_000L;
    }

    private void requireActive() {
        if (!active) {
            throw new NotLeaderException("this node does not hold the lease clock");
        }
    }
}
