package io.roster.chaos;

import java.util.concurrent.TimeUnit;

/**
 * The pauses of the run's own schedule (between requests, heartbeats and faults), which are its workload, not
 * waits for a condition. An interrupt ends a pause early and stays set, so the caller's loop sees it.
 */
final class Pacing {

    private Pacing() {
    }

    /** @return false when interrupted */
    static boolean pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void pauseUntil(long nanos) {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            pause(TimeUnit.NANOSECONDS.toMillis(wait));
        }
    }
}
