package io.roster.node;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LeaderDutiesTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger leaseTicks = new AtomicInteger();
    private final AtomicInteger reconciles = new AtomicInteger();
    private final LeaderDuties duties = new LeaderDuties(scheduler, List.of(
            new LeaderDuties.Duty(leaseTicks::incrementAndGet, 10),
            new LeaderDuties.Duty(reconciles::incrementAndGet, 20)));

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    @Test
    void aFollowerRunsNoDutyUntilItLeads() {
        assertThat(duties.scheduledCount()).isZero();
        duties.onLeaderStart(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> leaseTicks.get() >= 3 && reconciles.get() >= 3);
    }

    @Test
    void dutiesStopWithLeadershipAndComeBackOnceWithTheNextTerm() {
        duties.onLeaderStart(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> leaseTicks.get() >= 1);
        duties.onLeaderStop();
        assertThat(duties.scheduledCount()).isZero();

        duties.onLeaderStart(2);
        duties.onLeaderStart(3); // a second start without a stop between must not double the duties
        assertThat(duties.scheduledCount()).isEqualTo(2);
        int before = reconciles.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> reconciles.get() > before);
    }

    @Test
    void leadingWhileTheNodeStopsSchedulesNothing() {
        scheduler.shutdownNow();
        duties.onLeaderStart(1);
        assertThat(duties.scheduledCount()).isZero();
    }
}
