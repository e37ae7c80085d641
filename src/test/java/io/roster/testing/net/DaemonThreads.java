package io.roster.testing.net;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The threads of one proxy, kept so that closing it can wait until none is left running. */
final class DaemonThreads {

    private final Set<Thread> live = ConcurrentHashMap.newKeySet();

    Thread start(String name, Runnable body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } finally {
                live.remove(Thread.currentThread());
            }
        }, name);
        thread.setDaemon(true);
        live.add(thread);
        thread.start();
        return thread;
    }

    /** Waits for every thread still running, see {@link #join}. */
    void joinAll(Duration timeout) {
        join(List.copyOf(live), timeout);
    }

    /** @throws IllegalStateException if a thread outlives the timeout, which would be a leak in the proxy */
    static void join(List<Thread> threads, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            long remainingMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            try {
                thread.join(remainingMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (thread.isAlive()) {
                throw new IllegalStateException("proxy thread " + thread.getName() + " still running after " + timeout);
            }
        }
    }
}
