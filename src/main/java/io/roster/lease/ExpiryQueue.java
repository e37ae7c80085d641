package io.roster.lease;

import java.util.Collection;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * Countdowns in the order they may expire, so that finding the expired leases costs nothing while none
 * is due. Keep-alives do not touch the queue: a countdown is looked at when the deadline it was queued
 * with passes, and queued again at its current deadline if it was renewed meanwhile. Each lease is
 * therefore handled about once per TTL, not once per heartbeat nor once per tick.
 */
final class ExpiryQueue {

    /** What the lease clock does with an expired lease. */
    interface Revoker {
        /** Whether the rate limit allows another revocation now. */
        boolean mayRevoke();

        /** Proposes the revocation of a countdown claimed with {@link Countdown#claimExpired}. */
        void revoke(Countdown expired);
    }

    private final PriorityQueue<Countdown> queue =
            new PriorityQueue<>(Comparator.comparingLong(countdown -> countdown.queuedDeadline));

    synchronized void add(Countdown countdown) {
        countdown.queuedDeadline = countdown.deadline();
        queue.add(countdown);
    }

    synchronized void replaceAll(Collection<Countdown> countdowns) {
        queue.clear();
        for (Countdown countdown : countdowns) {
            countdown.queuedDeadline = countdown.deadline();
        }
        queue.addAll(countdowns);
    }

    synchronized void clear() {
        queue.clear();
    }

    /**
     * Hands every countdown that has expired by {@code now} to the revoker, while it may revoke.
     * Countdowns for which {@code current} is false (their lease is gone) are dropped, as are those
     * already being revoked: a failed revocation queues its countdown again through {@link #add}.
     */
    synchronized void revokeExpired(long now, Predicate<Countdown> current, Revoker revoker) {
        Countdown head;
        while ((head = queue.peek()) != null && head.queuedDeadline <= now) {
            if (!current.test(head) || head.deadline() == Countdown.REVOKING) {
                queue.poll();
                continue;
            }
            if (head.deadline() > now) {
                requeue();
                continue;
            }
            if (!revoker.mayRevoke()) {
                return;
            }
            if (head.claimExpired(now)) {
                queue.poll();
                revoker.revoke(head);
            } else {
                requeue(); // renewed between the two reads, or claimed: looked at again next time round
            }
        }
    }

    synchronized int size() {
        return queue.size();
    }

    private void requeue() {
        Countdown head = queue.poll();
        head.queuedDeadline = head.deadline();
        if (head.queuedDeadline != Countdown.REVOKING) {
            queue.add(head);
        }
    }
}
