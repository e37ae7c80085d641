package io.roster.raft;

import com.alipay.sofa.jraft.util.NamedThreadFactory;
import com.alipay.sofa.jraft.util.SPI;
import com.alipay.sofa.jraft.util.timer.DefaultRaftTimerFactory;
import com.alipay.sofa.jraft.util.timer.Timeout;
import com.alipay.sofa.jraft.util.timer.Timer;
import com.alipay.sofa.jraft.util.timer.TimerTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * JRaft's election, vote, step-down and snapshot timers on one thread that wakes only when one of them is
 * due, instead of four hashed wheels whose threads each woke every millisecond. A wheel's thread wakes every
 * tick whether anything is due or not, and on this machine a wake-up costs tens of microseconds: four 1 ms
 * wheels were half of what an idle member spent, and one shared 50 ms wheel still 0.3–0.5% of a core for
 * three members (docs/benchmarks.md, "What an idle cluster costs"). These timers are few, seconds apart,
 * and rescheduled rarely (a follower's election timer checks the leader's last contact when it fires, it
 * is not reset by each heartbeat), so a delay queue's ordered insert costs nothing that matters, and each
 * fires on time rather than on the next tick. Their handlers only take the node's lock and start
 * asynchronous work, so one thread serves them all. Found by JRaft's service loader (META-INF/services),
 * ahead of the default (priority 0).
 */
@SPI(priority = 10)
public class DeadlineRaftTimerFactory extends DefaultRaftTimerFactory {

    private static final Logger log = LoggerFactory.getLogger(DeadlineRaftTimerFactory.class);

    private final Object lock = new Object();
    private ScheduledThreadPoolExecutor scheduler;
    private int users;

    /** A view of the shared thread; stopping it releases the thread, which stops with its last user. */
    @Override
    public Timer createTimer(String name) {
        synchronized (lock) {
            if (scheduler == null) {
                scheduler = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("JRaft-Timers", true));
                // A cancelled timeout leaves the queue at once instead of waiting there for its deadline.
                scheduler.setRemoveOnCancelPolicy(true);
            }
            users++;
            return new SharedTimer(scheduler);
        }
    }

    private void release(ScheduledThreadPoolExecutor used) {
        synchronized (lock) {
            if (used == scheduler && --users == 0) {
                scheduler.shutdownNow();
                scheduler = null;
            }
        }
    }

    private final class SharedTimer implements Timer {

        private final ScheduledThreadPoolExecutor shared;
        private final AtomicBoolean stopped = new AtomicBoolean();

        SharedTimer(ScheduledThreadPoolExecutor shared) {
            this.shared = shared;
        }

        @Override
        public Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
            if (stopped.get()) {
                throw new IllegalStateException("cannot be started once stopped");
            }
            ScheduledTimeout timeout = new ScheduledTimeout(this, task);
            timeout.scheduled(shared.schedule(timeout, delay, unit));
            return timeout;
        }

        /** Its own timeouts are its owner's to cancel (JRaft's RepeatedTimer does before it stops the timer). */
        @Override
        public Set<Timeout> stop() {
            if (stopped.compareAndSet(false, true)) {
                release(shared);
            }
            return Set.of();
        }
    }

    private static final class ScheduledTimeout implements Timeout, Runnable {

        private static final int PENDING = 0;
        private static final int CANCELLED = 1;
        private static final int EXPIRED = 2;

        private final Timer timer;
        private final TimerTask task;
        private final AtomicInteger state = new AtomicInteger(PENDING);
        private volatile ScheduledFuture<?> future;

        ScheduledTimeout(Timer timer, TimerTask task) {
            this.timer = timer;
            this.task = task;
        }

        void scheduled(ScheduledFuture<?> scheduled) {
            future = scheduled;
            if (state.get() == CANCELLED) {
                scheduled.cancel(false); // cancelled between schedule() and here
            }
        }

        @Override
        public void run() {
            if (!state.compareAndSet(PENDING, EXPIRED)) {
                return;
            }
            try {
                task.run(this);
            } catch (Throwable t) {
                // As JRaft's wheel does: one failing task must not stop the thread the other timers share.
                log.warn("A Raft timer task threw", t);
            }
        }

        @Override
        public Timer timer() {
            return timer;
        }

        @Override
        public TimerTask task() {
            return task;
        }

        @Override
        public boolean isExpired() {
            return state.get() == EXPIRED;
        }

        @Override
        public boolean isCancelled() {
            return state.get() == CANCELLED;
        }

        @Override
        public boolean cancel() {
            if (!state.compareAndSet(PENDING, CANCELLED)) {
                return false;
            }
            ScheduledFuture<?> scheduled = future;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
            return true;
        }
    }
}
