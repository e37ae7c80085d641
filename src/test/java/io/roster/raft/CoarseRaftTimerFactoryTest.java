package io.roster.raft;

import com.alipay.sofa.jraft.JRaftUtils;
import com.alipay.sofa.jraft.util.timer.Timer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class CoarseRaftTimerFactoryTest {

    @Test
    void jraftTakesTheCoarseTimersFromTheServiceLoader() {
        assertThat(JRaftUtils.raftTimerFactory()).isInstanceOf(CoarseRaftTimerFactory.class);
    }

    @Test
    void aTimeoutStillFiresOnceItIsDue() throws InterruptedException {
        Timer timer = new CoarseRaftTimerFactory().getElectionTimer(false, "test-election-timer");
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
    void everyTimerOfTheFactorySharesOneWheelThatStopsWithItsLastUser() throws InterruptedException {
        CoarseRaftTimerFactory factory = new CoarseRaftTimerFactory();
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
        assertThat(stillRunning.await(30, TimeUnit.SECONDS)).as("the wheel serves its other user").isTrue();

        stepDown.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> !ranOn[0].isAlive());
        Timer next = factory.getVoteTimer(false, "vote");
        CountDownLatch onANewWheel = new CountDownLatch(1);
        next.newTimeout(timeout -> onANewWheel.countDown(), 10, TimeUnit.MILLISECONDS);
        assertThat(onANewWheel.await(30, TimeUnit.SECONDS)).as("a timer made after the last stopped gets a new wheel").isTrue();
        next.stop();
    }
}
