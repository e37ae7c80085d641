package io.roster.testing.history;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryChecksTest {

    private final Ops ops = new Ops();

    @Test
    void failedWriteThatWasReadIsReported() {
        ops.putFailed("c1", "k", "a", 0, 1);
        ops.get("reader", "k", 2, 3, "a", 1);

        assertThat(HistoryChecks.failedWritesNeverApplied(ops.all())).singleElement().asString()
                .contains("FAILED write #0 c1 PUT k = \"a\"")
                .contains("#1 reader GET k");
    }

    @Test
    void failedWriteReportedAsTheCurrentEntryOfAConflictIsReported() {
        ops.putFailed("c1", "k", "a", 0, 1);
        ops.casConflict("c2", "k", "b", 0, 2, 3, new Entry("a", 1));

        assertThat(HistoryChecks.failedWritesNeverApplied(ops.all())).hasSize(1);
    }

    @Test
    void failedWriteNeverSeenPasses() {
        ops.put("c1", "k", "a", 0, 1, 1);
        ops.putFailed("c2", "k", "b", 2, 3);
        ops.get("c1", "k", 4, 5, "a", 1);

        assertThat(HistoryChecks.failedWritesNeverApplied(ops.all())).isEmpty();
    }

    @Test
    void lastAcknowledgedWriteStillThereOrSupersededPasses() {
        ops.put("c1", "kept", "a", 0, 1, 1);
        ops.put("c1", "overwritten", "b", 2, 3, 2);
        ops.putUnknown("c2", "overwritten", "c", 4);
        ops.put("c1", "deleted", "d", 5, 6, 3);
        ops.deleteUnknown("c2", "deleted", 7);

        assertThat(HistoryChecks.noAcknowledgedWriteLost(ops.all(), Map.of(
                "kept", Optional.of(new Entry("a", 1)),
                "overwritten", Optional.of(new Entry("c", 9)),
                "deleted", Optional.empty()))).isEmpty();
    }

    @Test
    void acknowledgedWriteReplacedByAnOlderValueIsLost() {
        ops.put("c1", "k", "a", 0, 1, 1);
        ops.put("c1", "k", "b", 2, 3, 2);

        assertThat(HistoryChecks.noAcknowledgedWriteLost(ops.all(), Map.of("k", Optional.of(new Entry("a", 1)))))
                .singleElement().asString()
                .contains("acknowledged write #1 c1 PUT k = \"b\"")
                .contains("(revision 2) lost")
                .contains("\"a\" at revision 1");
    }

    @Test
    void acknowledgedWriteGoneWithoutADeleteIsLost() {
        ops.put("c1", "k", "a", 0, 1, 1);

        assertThat(HistoryChecks.noAcknowledgedWriteLost(ops.all(), Map.of("k", Optional.empty())))
                .singleElement().asString().contains("lost", "absent");
    }

    @Test
    void acknowledgedDeleteUndoneIsLost() {
        ops.put("c1", "k", "a", 0, 1, 1);
        ops.delete("c1", "k", 2, 3, 1, 2);

        assertThat(HistoryChecks.noAcknowledgedWriteLost(ops.all(), Map.of("k", Optional.of(new Entry("a", 1)))))
                .singleElement().asString().contains("DELETE k", "lost");
    }

    @Test
    void keyWithoutAFinalReadIsReported() {
        ops.put("c1", "k", "a", 0, 1, 1);

        assertThat(HistoryChecks.noAcknowledgedWriteLost(ops.all(), Map.of())).singleElement().asString()
                .contains("no final read");
    }
}
