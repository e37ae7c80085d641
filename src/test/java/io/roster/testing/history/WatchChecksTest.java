package io.roster.testing.history;

import io.roster.testing.history.WatchLog.EventType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WatchChecksTest {

    private final Ops ops = new Ops();
    private List<Operation> history;

    @BeforeEach
    void writes() {
        ops.put("c1", "app/a", "v1", 0, 1, 1);
        ops.put("c2", "app/b", "v2", 2, 3, 2);
        ops.putUnknown("c1", "app/a", "v3", 4);
        ops.putFailed("c2", "app/b", "v4", 5, 6);
        ops.delete("c2", "app/b", 7, 8, 1, 4);
        ops.put("c1", "other", "v5", 9, 10, 5);
        ops.put("c1", "app/a", "v6", 11, 12, 6);
        history = ops.all();
    }

    private static WatchLog cleanLog(String watcher) {
        WatchLog log = new WatchLog(watcher, "app/");
        log.resumedAfter(0);
        log.event(1, "app/a", EventType.PUT, "v1");
        log.event(2, "app/b", EventType.PUT, "v2");
        log.resumedAfter(2);
        log.event(3, "app/a", EventType.PUT, "v3");
        log.event(4, "app/b", EventType.DELETE, null);
        log.event(6, "app/a", EventType.PUT, "v6");
        return log;
    }

    @Test
    void cleanWatchLogsPass() {
        assertThat(WatchChecks.all(history, List.of(cleanLog("w1"), cleanLog("w2")))).isEmpty();
    }

    @Test
    void repeatedEventIsReported() {
        WatchLog log = new WatchLog("w1", "app/");
        log.event(1, "app/a", EventType.PUT, "v1");
        log.event(2, "app/b", EventType.PUT, "v2");
        log.resumedAfter(1);
        log.event(2, "app/b", EventType.PUT, "v2");

        assertThat(WatchChecks.revisionsIncrease(log)).singleElement().asString().contains("repeated", "revision 2");
    }

    @Test
    void eventBeforeTheResumeRevisionIsReported() {
        WatchLog log = new WatchLog("w1", "app/");
        log.event(1, "app/a", EventType.PUT, "v1");
        log.resumedAfter(2);
        log.event(2, "app/b", EventType.PUT, "v2");

        assertThat(WatchChecks.revisionsIncrease(log)).singleElement().asString().contains("resumed after revision 2");
    }

    @Test
    void outOfOrderEventIsReported() {
        WatchLog log = new WatchLog("w1", "app/");
        log.event(2, "app/b", EventType.PUT, "v2");
        log.event(1, "app/a", EventType.PUT, "v1");

        assertThat(WatchChecks.revisionsIncrease(log)).singleElement().asString().contains("out of order");
    }

    @Test
    void missedEventIsReported() {
        WatchLog log = new WatchLog("w1", "app/");
        log.resumedAfter(0);
        log.event(1, "app/a", EventType.PUT, "v1");
        log.event(4, "app/b", EventType.DELETE, null);

        assertThat(WatchChecks.noMissedEvents(history, log, List.of(log))).singleElement().asString()
                .contains("w1 missed revision 2", "PUT app/b = \"v2\"");
    }

    @Test
    void unknownWriteAnotherWatcherSawIsMissedByAWatcherThatSkippedIt() {
        WatchLog skipping = new WatchLog("w2", "app/");
        skipping.resumedAfter(0);
        skipping.event(1, "app/a", EventType.PUT, "v1");
        skipping.event(2, "app/b", EventType.PUT, "v2");
        skipping.event(4, "app/b", EventType.DELETE, null);

        assertThat(WatchChecks.noMissedEvents(history, skipping, List.of(cleanLog("w1"), skipping))).singleElement()
                .asString().contains("w2 missed revision 3: w1 saw Event[revision=3, key=app/a, type=PUT, value=v3]");
    }

    @Test
    void changesOutsideTheWatchedWindowOrPrefixAreNotMissed() {
        WatchLog log = new WatchLog("w1", "app/");
        log.event(4, "app/b", EventType.DELETE, null);
        log.event(6, "app/a", EventType.PUT, "v6");

        assertThat(WatchChecks.noMissedEvents(history, log, List.of(log))).isEmpty();
    }

    @Test
    void watchersThatDisagreeAreReported() {
        WatchLog other = new WatchLog("w2", "app/");
        other.event(3, "app/a", EventType.DELETE, null);
        ops.deleteUnknown("c3", "app/a", 13);

        assertThat(WatchChecks.eventsMatchHistory(ops.all(), List.of(cleanLog("w1"), other)))
                .singleElement().asString().contains("watchers disagree at revision 3");
    }

    @Test
    void eventShowingAFailedWriteIsReported() {
        WatchLog log = new WatchLog("w1", "app/");
        log.event(3, "app/b", EventType.PUT, "v4");

        assertThat(WatchChecks.eventsMatchHistory(history, List.of(log))).singleElement().asString()
                .contains("FAILED write");
    }

    @Test
    void eventDisagreeingWithAnAcknowledgedRevisionIsReported() {
        WatchLog log = new WatchLog("w1", "app/");
        log.event(6, "app/a", EventType.PUT, "v1");

        assertThat(WatchChecks.eventsMatchHistory(history, List.of(log))).singleElement().asString()
                .contains("revision 6 was acknowledged to #6");
    }

    @Test
    void eventsNoWriteExplainsAreReported() {
        WatchLog log = new WatchLog("w1", "app/");
        log.event(3, "app/a", EventType.PUT, "never-written");
        log.event(7, "app/c", EventType.DELETE, null);
        log.event(8, "other", EventType.PUT, "v5");

        assertThat(WatchChecks.eventsMatchHistory(history, List.of(log))).hasSize(3)
                .anySatisfy(violation -> assertThat(violation).contains("no write in the history wrote"))
                .anySatisfy(violation -> assertThat(violation).contains("no delete in the history targeted"))
                .anySatisfy(violation -> assertThat(violation).contains("outside the watched prefix"));
    }
}
