package io.roster.lease;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The leader's countdown of one lease on the monotonic clock. Keep-alives move the deadline with a
 * compare-and-set and allocate nothing, which matters at tens of thousands of heartbeats a second.
 */
final class Countdown {

    /** The deadline of a lease whose revocation has been proposed: keep-alives for it now fail. */
    static final long REVOKING = Long.MIN_VALUE;

    private static final VarHandle DEADLINE;

    static {
        try {
            DEADLINE = MethodHandles.lookup().findVarHandle(Countdown.class, "deadline", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long leaseId;
    private final long ttlNanos;
    @SuppressWarnings("unused") // accessed through DEADLINE
    private volatile long deadline;
    /** The deadline the expiry queue orders this countdown by; only the queue touches it, under its lock. */
    long queuedDeadline;

    Countdown(long leaseId, long ttlNanos, long deadline) {
        this.leaseId = leaseId;
        this.ttlNanos = ttlNanos;
        this.deadline = deadline;
    }

    long deadline() {
        return deadline;
    }

    /** Restarts the full TTL unless the lease has expired or is being revoked; returns whether it did. */
    boolean renew(long now) {
        while (true) {
            long current = deadline;
            if (current == REVOKING || current <= now) {
                return false;
            }
            if (DEADLINE.compareAndSet(this, current, now + ttlNanos)) {
                return true;
            }
        }
    }

    /** Claims an expired lease for revocation; false when it was renewed in time or is already claimed. */
    boolean claimExpired(long now) {
        long current = deadline;
        return current != REVOKING && current <= now && DEADLINE.compareAndSet(this, current, REVOKING);
    }

    /** After a revocation failed to commit the lease is still expired: expired as of {@code now}. */
    void releaseClaim(long now) {
        DEADLINE.compareAndSet(this, REVOKING, now);
    }
}
