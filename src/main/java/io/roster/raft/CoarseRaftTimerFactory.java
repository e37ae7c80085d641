package io.roster.raft;

import com.alipay.sofa.jraft.util.NamedThreadFactory;
import com.alipay.sofa.jraft.util.SPI;
import com.alipay.sofa.jraft.util.timer.DefaultRaftTimerFactory;
import com.alipay.sofa.jraft.util.timer.HashedWheelTimer;
import com.alipay.sofa.jraft.util.timer.Timer;

import java.util.concurrent.TimeUnit;

/**
 * JRaft's election, vote, step-down and snapshot timers with a 50 ms tick instead of 1 ms. Each timer is a
 * hashed wheel whose thread wakes every tick whether anything is due or not: at 1 ms the four of them were
 * half of what an idle member spent (docs/benchmarks.md, "What an idle cluster costs"). The shortest thing
 * they time is a 300 ms election timeout, randomised over another 300 ms, so 50 ms changes nothing a
 * member can tell (a 10 ms tick still cost a third more). Found by JRaft's service loader
 * (META-INF/services), ahead of the default (priority 0).
 */
@SPI(priority = 10)
public class CoarseRaftTimerFactory extends DefaultRaftTimerFactory {

    static final long TICK_MILLIS = 50;

    @Override
    public Timer createTimer(String name) {
        return new HashedWheelTimer(new NamedThreadFactory(name, true), TICK_MILLIS, TimeUnit.MILLISECONDS, 512);
    }
}
