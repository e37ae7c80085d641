package io.roster.raft;

import com.alipay.sofa.jraft.util.NamedThreadFactory;
import com.alipay.sofa.jraft.util.SPI;
import com.alipay.sofa.jraft.util.timer.DefaultRaftTimerFactory;
import com.alipay.sofa.jraft.util.timer.HashedWheelTimer;
import com.alipay.sofa.jraft.util.timer.Timeout;
import com.alipay.sofa.jraft.util.timer.Timer;
import com.alipay.sofa.jraft.util.timer.TimerTask;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * JRaft's election, vote, step-down and snapshot timers on one hashed wheel with a 50 ms tick, instead of
 * four wheels ticking every millisecond. A wheel's thread wakes every tick whether anything is due or
 * not: at 1 ms the four of them were half of what an idle member spent, and at 50 ms each wake-up still
 * costs (docs/benchmarks.md, "What an idle cluster costs"), so they share one. The shortest thing they
 * time is a 300 ms election timeout, randomised over another 300 ms, so 50 ms changes nothing a member
 * can tell (a 10 ms tick still cost a third more). Their handlers only take the node's lock and start
 * asynchronous work, so one thread serves them all. Found by JRaft's service loader (META-INF/services),
 * ahead of the default (priority 0).
 */
@SPI(priority = 10)
public class CoarseRaftTimerFactory extends DefaultRaftTimerFactory {

    static final long TICK_MILLIS = 50;

    private final Object lock = new Object();
    private HashedWheelTimer wheel;
    private int users;

    /** A view of the shared wheel; stopping it releases the wheel, which stops with its last user. */
    @Override
    public Timer createTimer(String name) {
        synchronized (lock) {
            if (wheel == null) {
                wheel = new HashedWheelTimer(new NamedThreadFactory("JRaft-Timers", true), TICK_MILLIS, TimeUnit.MILLISECONDS, 512);
            }
            users++;
            return new SharedTimer(wheel);
        }
    }

    private void release(HashedWheelTimer used) {
        synchronized (lock) {
            if (used == wheel && --users == 0) {
                wheel.stop();
                wheel = null;
            }
        }
    }

    private final class SharedTimer implements Timer {

        private final HashedWheelTimer shared;
        private final AtomicBoolean stopped = new AtomicBoolean();

        SharedTimer(HashedWheelTimer shared) {
            this.shared = shared;
        }

        @Override
        public Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
            if (stopped.get()) {
                throw new IllegalStateException("cannot be started once stopped");
            }
            return shared.newTimeout(task, delay, unit);
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
}
