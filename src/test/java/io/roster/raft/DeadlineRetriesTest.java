package io.roster.raft;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** What a request cut off by its deadline tells the client: whether anything may have changed. */
class DeadlineRetriesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final DeadlineRetries retries = new DeadlineRetries(timer, Duration.ofMillis(200));

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void aReadCutOffByItsDeadlineChangedNothing() {
        CompletableFuture<Object> read = retries.run(CompletableFuture::new, retries.deadline(), "a linearizable read", false);

        assertThat(read).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(RaftUnavailableException.class, unavailable -> {
                    assertThat(unavailable.mayHaveApplied()).isFalse();
                    assertThat(unavailable).hasMessage("a linearizable read did not complete within 200 ms; nothing was changed, try again");
                });
    }

    @Test
    void aWriteCutOffByItsDeadlineMayHaveBeenApplied() {
        CompletableFuture<Object> write = retries.run(CompletableFuture::new, retries.deadline(), "propose", true);

        assertThat(write).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(RaftUnavailableException.class, unavailable -> {
                    assertThat(unavailable.mayHaveApplied()).isTrue();
                    assertThat(unavailable).hasMessageContaining("may or may not have been applied");
                });
    }

    @Test
    void noLeaderUntilTheDeadlineIsRetriedAndThenUnavailableWithNothingApplied() {
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<Object> write = retries.run(() -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(new NotLeaderException("no leader is known"));
        }, retries.deadline(), "propose", true);

        assertThat(write).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(RaftUnavailableException.class, unavailable ->
                        assertThat(unavailable.mayHaveApplied()).isFalse());
        assertThat(attempts.get()).as("tried again while no leader was known").isGreaterThan(1);
    }
}
