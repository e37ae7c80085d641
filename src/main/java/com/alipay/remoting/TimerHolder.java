package com.alipay.remoting;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timer;

import java.util.concurrent.TimeUnit;

/**
 * Roster's replacement for bolt 1.6.12's class of the same name, found first because the application's
 * own classes come before its libraries on every class path Roster runs with (the boot jar, the
 * extracted jar of the start-up cache, Maven's test class path).
 *
 * <p>Bolt times every asynchronous RPC's timeout, and its connection heartbeats, on this wheel. Bolt's own
 * ticks every 10 ms, busy or not, and it is a static final with no setting: on an idle cluster its
 * 100 wake-ups a second were the largest single cost left (docs/benchmarks.md, "What an idle cluster
 * costs"). The shortest timeout it times is a Raft heartbeat's, half the election timeout, so the
 * node sets the tick ({@link #TICK_PROPERTY}) to a twentieth of the election timeout, at most 50 ms, before its
 * first RPC: a timeout then fires late by at most a tenth. It stays a wheel, unlike JRaft's few timers
 * ({@code io.roster.raft.DeadlineRaftTimerFactory}): under load bolt adds and cancels a timeout per RPC,
 * tens of thousands a second, which a wheel takes without a lock. {@code BoltTimerHolderTest} fails when
 * bolt's class changes, so that an upgrade of bolt looks at this again.
 */
public final class TimerHolder {

    /** The tick in milliseconds, read when bolt first times something; 50 when unset. */
    public static final String TICK_PROPERTY = "roster.bolt.timer-tick-millis";
    public static final long MAX_TICK_MILLIS = 50;

    private TimerHolder() {
    }

    public static Timer getTimer() {
        return Wheel.INSTANCE;
    }

    /** Created on first use, as bolt's was, so that a process that never sends an RPC has no such thread. */
    private static final class Wheel {
        static final Timer INSTANCE = new HashedWheelTimer(new NamedThreadFactory("bolt-timeouts", true),
                Math.max(1, Math.min(MAX_TICK_MILLIS, Long.getLong(TICK_PROPERTY, MAX_TICK_MILLIS))), TimeUnit.MILLISECONDS);
    }
}
