package io.roster.raft;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Tries a leader's operation again while there is no leader, or the one asked has just lost leadership,
 * until the request's deadline; turns what is left into the errors callers act on.
 */
final class DeadlineRetries {

    private static final long RETRY_DELAY_MILLIS = 25;

    private final ScheduledExecutorService retries;
    private final Duration requestTimeout;

    DeadlineRetries(ScheduledExecutorService retries, Duration requestTimeout) {
        this.retries = retries;
        this.requestTimeout = requestTimeout;
    }

    /** The deadline of a request that starts now. */
    long deadline() {
        return System.nanoTime() + requestTimeout.toNanos();
    }

    /**
     * Retries {@code attempt} after a {@link NotLeaderException} until the deadline; other failures end it.
     *
     * @param mayWrite whether the attempt may change state, so that one cut off by the deadline may have changed it
     */
    <T> CompletableFuture<T> run(Supplier<CompletableFuture<T>> attempt, long deadline, String what, boolean mayWrite) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        Runnable[] run = new Runnable[1];
        run[0] = () -> {
            CompletableFuture<T> once;
            try {
                once = attempt.get();
            } catch (RuntimeException e) {
                once = CompletableFuture.failedFuture(e);
            }
            long remaining = deadline - System.nanoTime();
            once.orTimeout(Math.max(1, remaining), TimeUnit.NANOSECONDS).whenComplete((value, error) -> {
                if (error == null) {
                    outcome.complete(value);
                    return;
                }
                Throwable cause = unwrap(error);
                if (cause instanceof NotLeaderException && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_DELAY_MILLIS) < deadline
                        && !retries.isShutdown()) {
                    retries.schedule(run[0], RETRY_DELAY_MILLIS, TimeUnit.MILLISECONDS);
                } else if (cause instanceof NotLeaderException) {
                    outcome.completeExceptionally(new RaftUnavailableException("no leader could serve " + what + " within "
                            + requestTimeout.toMillis() + " ms (" + cause.getMessage() + ")", false));
                } else if (cause instanceof java.util.concurrent.TimeoutException) {
                    outcome.completeExceptionally(new RaftUnavailableException(what + " did not complete within "
                            + requestTimeout.toMillis() + " ms" + (mayWrite ? "; a write may or may not have been applied"
                            : "; nothing was changed, try again"), mayWrite));
                } else {
                    outcome.completeExceptionally(cause);
                }
            });
        };
        run[0].run();
        return outcome;
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
