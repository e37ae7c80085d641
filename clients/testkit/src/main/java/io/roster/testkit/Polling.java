package io.roster.testkit;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition by checking it again and again, never by sleeping a guessed time. */
final class Polling {

    private static final long INTERVAL_MILLIS = 100;

    private Polling() {
    }

    /**
     * Checks {@code condition} until it returns null (met) or the time is up.
     *
     * @param condition null when met, else why not yet
     * @return null when met, else the last reason it was not
     */
    static String until(Duration timeout, String what, Supplier<String> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String reason = condition.get();
        while (reason != null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(INTERVAL_MILLIS); // the interval between checks, not the wait itself
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted while waiting for " + what;
            }
            reason = condition.get();
        }
        return reason;
    }
}
