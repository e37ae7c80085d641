package io.roster.watch;

import io.roster.store.KeyEvent;
import io.roster.store.RosterStore;
import io.roster.store.StoreState;
import io.roster.store.command.Command;
import io.roster.store.command.Delete;
import io.roster.store.command.Put;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class WatchHubTest {

    private final ExecutorService delivery = Executors.newFixedThreadPool(2);
    private final RosterStore store = new RosterStore();

    @AfterEach
    void stop() {
        delivery.shutdownNow();
    }

    private WatchHub hub(int history, int queue) {
        WatchHub hub = new WatchHub(store, history, queue, delivery);
        store.addListener(hub);
        return hub;
    }

    private long put(String key, String value) {
        return store.apply(new Put(key, value.getBytes(StandardCharsets.UTF_8), 0, Command.NO_COMPARE)).revision();
    }

    @Test
    void aWatchFromNowSeesOnlyLaterChangesUnderItsPrefix() {
        WatchHub hub = hub(100, 100);
        put("a/1", "before");
        Recorder recorder = new Recorder();

        hub.subscribe("a/", -1, recorder);
        long second = put("a/2", "after");
        put("b/1", "elsewhere");
        long deleted = store.apply(new Delete("a/1", false, Command.NO_COMPARE)).revision();

        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.events.size() == 2);
        assertThat(recorder.events).extracting(KeyEvent::revision).containsExactly(second, deleted);
        assertThat(recorder.events).extracting(KeyEvent::type).containsExactly(KeyEvent.Type.PUT, KeyEvent.Type.DELETE);
    }

    /**
     * Found by ChaosIT: a member added back on an empty data dir replays the log from the start, and a watch
     * that resumed on it after revision N received every event it applied while catching up, from revision 2.
     */
    @Test
    void aWatchResumedOnAMemberThatIsBehindStartsAfterItsRevisionAsItCatchesUp() {
        WatchHub hub = hub(100, 100);
        Recorder recorder = new Recorder();

        hub.subscribe("k/", 5, recorder);
        for (int i = 0; i < 6; i++) {
            put("k/" + i, "caught up"); // revisions 2 to 7, applied after the watch began
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.events.size() >= 2);
        assertThat(recorder.events).extracting(KeyEvent::revision).containsExactly(6L, 7L);
    }

    @Test
    void resumingReplaysHistoryThenLiveWithNoGapAndNoDuplicateWhileWritesContinue() throws Exception {
        WatchHub hub = hub(100_000, 100_000);
        long start = put("k/0", "x");
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int i = 1; i <= 2000; i++) {
                put("k/" + i, "x");
            }
        });
        Recorder recorder = new Recorder();
        while (store.revision() < start + 500) {
            Thread.onSpinWait();
        }

        hub.subscribe("k/", start, recorder);
        writer.get();

        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.events.size() == 2000);
        assertThat(recorder.events).extracting(KeyEvent::revision)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(start + 1, start + 2000).boxed().toList());
    }

    @Test
    void aRevisionOlderThanTheHistoryIsRefusedWithTheCurrentRevision() {
        WatchHub hub = hub(10, 100);
        long first = put("k", "0");
        for (int i = 1; i < 30; i++) {
            put("k", String.valueOf(i));
        }

        assertThatThrownBy(() -> hub.subscribe("", first, new Recorder()))
                .isInstanceOfSatisfying(RevisionCompactedException.class, e -> {
                    assertThat(e.currentRevision()).isEqualTo(store.revision());
                    assertThat(e.compactedRevision()).isGreaterThan(first);
                });
        assertThat(hub.subscribe("", hub.compactedRevision(), new Recorder())).isNotNull();
    }

    @Test
    void fromTheBeginningIsAllowedWhileNothingHasBeenDropped() {
        WatchHub hub = hub(10, 100);
        put("k", "v");
        Recorder recorder = new Recorder();

        hub.subscribe("", 0, recorder);

        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.events.size() == 1);
    }

    @Test
    void aWatcherThatFallsBehindIsEndedAfterReceivingWhatItWasGiven() {
        WatchHub hub = hub(1000, 5);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Recorder slow = new Recorder() {
            @Override
            public void onEvents(List<KeyEvent> batch) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.onEvents(batch);
            }
        };
        Subscription subscription = hub.subscribe("", -1, slow);

        for (int i = 0; i < 20; i++) {
            put("k" + i, "v");
        }
        release.countDown();

        await().atMost(Duration.ofSeconds(30)).until(() -> slow.ended.get() != null);
        assertThat(slow.ended.get()).hasMessageContaining("fell more than 5 events behind");
        assertThat(subscription.lastRevision()).isEqualTo(slow.events.get(slow.events.size() - 1).revision());
        assertThat(hub.subscriberCount()).isZero();
    }

    @Test
    void aSnapshotInstallEndsEveryWatchSoClientsListAgain() {
        WatchHub hub = hub(100, 100);
        Recorder recorder = new Recorder();
        hub.subscribe("", -1, recorder);
        RosterStore other = new RosterStore();
        for (int i = 0; i < 5; i++) {
            other.apply(new Put("x" + i, new byte[] {1}, 0, Command.NO_COMPARE));
        }
        StoreState installed = other.state();

        store.restore(installed);

        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.ended.get() != null);
        assertThat(recorder.ended.get()).isInstanceOf(RevisionCompactedException.class);
        assertThat(hub.latestRevision()).isEqualTo(installed.revision());
        assertThatThrownBy(() -> hub.subscribe("", 2, new Recorder())).isInstanceOf(RevisionCompactedException.class);
    }

    @Test
    void nextChangeAnswersAtOnceFromHistoryOrWaitsForTheNextMatchingEvent() throws Exception {
        WatchHub hub = hub(100, 100);
        long before = store.revision();
        long changed = put("svc/a/1", "x");

        assertThat(hub.nextChange("svc/a/", before).get()).isEqualTo(changed);

        CompletableFuture<Long> waiting = hub.nextChange("svc/a/", changed);
        put("svc/b/1", "other service");
        assertThat(waiting).isNotDone();
        long next = put("svc/a/2", "y");
        assertThat(waiting.get()).isEqualTo(next);
        await().atMost(Duration.ofSeconds(30)).until(() -> hub.subscriberCount() == 0);
    }

    static class Recorder implements WatchSink {
        final List<KeyEvent> events = new CopyOnWriteArrayList<>();
        final AtomicReference<RuntimeException> ended = new AtomicReference<>();

        @Override
        public void onEvents(List<KeyEvent> batch) {
            events.addAll(batch);
        }

        @Override
        public void onEnd(RuntimeException reason) {
            ended.set(reason);
        }
    }
}
