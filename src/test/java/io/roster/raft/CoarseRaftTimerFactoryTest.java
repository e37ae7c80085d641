package io.roster.raft;

import com.alipay.sofa.jraft.JRaftUtils;
import com.alipay.sofa.jraft.util.timer.Timer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

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
}
