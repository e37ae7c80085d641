package io.roster.raft;

import com.alipay.sofa.jraft.JRaftUtils;
import com.alipay.sofa.jraft.util.timer.Timeout;
import com.alipay.sofa.jraft.util.timer.Timer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class DeadlineRaftTimerFactoryTest {

    @Test
    void jraftTakesTheCoarseTimersFromTheServiceLoader() {
        assertThat(JRaftUtils.raftTimerFactory()).isInstanceOf(DeadlineRaftTimerFactory.class);
    }

    @Test
    void aTimeoutStillFiresOnceItIsDue() throws InterruptedException {
        Timer timer = new DeadlineRaftTimerFactory().getElectionTimer(false, "test-election-timer");
        try {
            CountDownLatch fired = new CountDownLatch(1);
            long start = System.nanoTime();
            timer.newTimeout(timeout -> fired.countDown(), 120, TimeUnit.MILLISECONDS);
            assertThat(fired.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not before it is due").isGreaterThanOrEqualTo(Duration.ofMillis(120));
        } finally {
            timer.stop();
        }
    }

    @Test
    void aCancelledTimeoutNeverRunsAndOnlyTheFirstOutcomeCounts() throws InterruptedException {
        Timer timer = new DeadlineRaftTimerFactory().getVoteTimer(false, "test-vote-timer");
        try {
            AtomicInteger runs = new AtomicInteger();
            Timeout cancelled = timer.newTimeout(timeout -> runs.incrementAndGet(), 100, TimeUnit.MILLISECONDS);
            assertThat(cancelled.cancel()).isTrue();
            assertThat(cancelled.isCancelled()).isTrue();
            assertThat(cancelled.cancel()).as("cancelled once").isFalse();

            CountDownLatch later = new CountDownLatch(1);
            Timeout expired = timer.newTimeout(timeout -> later.countDown(), 300, TimeUnit.MILLISECONDS);
            assertThat(later.await(30, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(expired::isExpired);
            assertThat(expired.cancel()).as("too late to cancel").isFalse();
            assertThat(runs).as("the cancelled one, due 200 ms before the other fired").hasValue(0);
        } finally {
            timer.stop();
        }
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheThreadTheOthersShare() throws InterruptedException {
        Timer timer = new DeadlineRaftTimerFactory().getSnapshotTimer(false, "test-snapshot-timer");
        try {
            timer.newTimeout(timeout -> { throw new IllegalStateException("a failing Raft timer task"); }, 1, TimeUnit.MILLISECONDS);
            CountDownLatch fired = new CountDownLatch(1);
            timer.newTimeout(timeout -> fired.countDown(), 50, TimeUnit.MILLISECONDS);
            assertThat(fired.await(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            timer.stop();
        }
    }

    @Test
    void everyTimerOfTheFactorySharesOneThreadThatStopsWithItsLastUser() throws InterruptedException {
        DeadlineRaftTimerFactory factory = new DeadlineRaftTimerFactory();
        Timer election = factory.getElectionTimer(false, "election");
        Timer stepDown = factory.getStepDownTimer(false, "step-down");
        CountDownLatch fired = new CountDownLatch(2);
        Thread[] ranOn = new Thread[2];
        election.newTimeout(timeout -> { ranOn[0] = Thread.currentThread(); fired.countDown(); }, 10, TimeUnit.MILLISECONDS);
        stepDown.newTimeout(timeout -> { ranOn[1] = Thread.currentThread(); fired.countDown(); }, 10, TimeUnit.MILLISECONDS);
        assertThat(fired.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ranOn[0]).as("one thread wakes for both").isSameAs(ranOn[1]);

        election.stop();
        election.stop(); // twice, as a node closing after a failed start may
        assertThatThrownBy(() -> election.newTimeout(timeout -> { }, 10, TimeUnit.MILLISECONDS)).isInstanceOf(IllegalStateException.class);
        CountDownLatch stillRunning = new CountDownLatch(1);
        stepDown.newTimeout(timeout -> stillRunning.countDown(), 10, TimeUnit.MILLISECONDS);
        assertThat(stillRunning.await(30, TimeUnit.SECONDS)).as("the thread serves its other user").isTrue();

        stepDown.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> !ranOn[0].isAlive());
        Timer next = factory.getVoteTimer(false, "vote");
        CountDownLatch onANewThread = new CountDownLatch(1);
        next.newTimeout(timeout -> onANewThread.countDown(), 10, TimeUnit.MILLISECONDS);
        assertThat(onANewThread.await(30, TimeUnit.SECONDS)).as("a timer made after the last stopped gets a new thread").isTrue();
        next.stop();
    }
}
