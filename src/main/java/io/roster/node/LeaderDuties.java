package io.roster.node;

import io.roster.raft.LeadershipListener;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The leader's periodic duties (lease expiry, membership reconciliation), scheduled only while this node
 * leads. Both do nothing on a follower, and every wake-up costs CPU on an idle cluster (ADR 0020), so a
 * follower's timer thread sleeps until its node leads.
 */
final class LeaderDuties implements LeadershipListener {

    record Duty(Runnable task, long everyMillis) {
    }

    private final ScheduledExecutorService scheduler;
    private final List<Duty> duties;
    private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();

    LeaderDuties(ScheduledExecutorService scheduler, List<Duty> duties) {
        this.scheduler = scheduler;
        this.duties = List.copyOf(duties);
    }

    @Override
    public synchronized void onLeaderStart(long term) {
        cancelAll();
        try {
            for (Duty duty : duties) {
                scheduled.add(scheduler.scheduleWithFixedDelay(duty.task(), duty.everyMillis(), duty.everyMillis(),
                        TimeUnit.MILLISECONDS));
            }
        } catch (RejectedExecutionException e) {
            cancelAll(); // the node is stopping
        }
    }

    @Override
    public synchronized void onLeaderStop() {
        cancelAll();
    }

    synchronized int scheduledCount() {
        return scheduled.size();
    }

    private void cancelAll() {
        scheduled.forEach(future -> future.cancel(false));
        scheduled.clear();
    }
}
