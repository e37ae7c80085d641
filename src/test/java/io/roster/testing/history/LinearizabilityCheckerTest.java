package io.roster.testing.history;

import io.roster.testing.history.LinearizabilityChecker.KeyResult;
import io.roster.testing.history.Operation.Kind;
import io.roster.testing.history.Operation.Outcome;
import io.roster.testing.history.Operation.Output;
import io.roster.testing.history.LinearizabilityChecker.Report;
import io.roster.testing.history.LinearizabilityChecker.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LinearizabilityCheckerTest {

    private final Ops ops = new Ops();

    private KeyResult check() {
        Report report = new LinearizabilityChecker().check(ops.all());
        return report.key("k");
    }

    @Test
    void sequentialHistoryIsLinearizable() {
        ops.getAbsent("c1", "k", 0, 1);
        ops.put("c1", "k", "a", 2, 3, 5);
        ops.get("c2", "k", 4, 5, "a", 5);
        ops.put("c2", "k", "b", 6, 7, 9);
        ops.get("c1", "k", 8, 9, "b", 9);
        ops.delete("c1", "k", 10, 11, 1, 12);
        ops.getAbsent("c2", "k", 12, 13);

        assertThat(check().verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void concurrentWritesMayTakeEffectInEitherOrder() {
        ops.put("c1", "k", "a", 0, 10, 3);
        ops.put("c2", "k", "b", 1, 9, 2);
        ops.get("c3", "k", 2, 4, "b", 2);
        ops.get("c4", "k", 5, 12, "a", 3);
        ops.get("c3", "k", 13, 14, "a", 3);

        assertThat(check().verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void unknownPutThatIsReadLaterIsLinearizableAndItsRevisionIsAdopted() {
        ops.put("c1", "k", "a", 0, 1, 1);
        ops.putUnknown("c2", "k", "b", 2);
        ops.get("c1", "k", 3, 4, "a", 1);
        ops.get("c1", "k", 50, 51, "b", 7);
        ops.get("c3", "k", 52, 53, "b", 7);

        assertThat(check().verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void unknownPutReadWithTwoDifferentRevisionsIsAViolation() {
        ops.putUnknown("c2", "k", "b", 2);
        ops.get("c1", "k", 50, 51, "b", 7);
        ops.get("c3", "k", 52, 53, "b", 8);

        assertThat(check().verdict()).isEqualTo(Verdict.VIOLATION);
    }

    @Test
    void unknownPutReadWithARevisionBelowTheOneItReplacedIsAViolation() {
        ops.put("c1", "k", "a", 0, 1, 5);
        ops.putUnknown("c2", "k", "b", 2);
        ops.get("c1", "k", 50, 51, "b", 3);

        assertThat(check().verdict()).isEqualTo(Verdict.VIOLATION);
    }

    @Test
    void unknownPutNeverSeenIsLinearizable() {
        ops.put("c1", "k", "a", 0, 1, 1);
        ops.putUnknown("c2", "k", "b", 2);
        ops.putUnknown("c3", "k", "c", 3);
        ops.get("c1", "k", 3, 4, "a", 1);
        ops.get("c1", "k", 50, 51, "a", 1);

        assertThat(check().verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void unknownPutCannotBeReadBeforeItWasInvoked() {
        ops.get("c1", "k", 0, 1, "b", 4);
        ops.putUnknown("c2", "k", "b", 2);

        assertThat(check().verdict()).isEqualTo(Verdict.VIOLATION);
    }

    @Test
    void staleReadIsAViolationThatNamesTheRead() {
        ops.put("c1", "k", "a", 0, 1, 1);
        ops.put("c1", "k", "b", 2, 3, 2);
        ops.get("stale-reader", "k", 4, 5, "a", 1);

        KeyResult result = check();

        assertThat(result.verdict()).isEqualTo(Verdict.VIOLATION);
        assertThat(result.explanation())
                .contains("could not place next")
                .contains("stale-reader GET k -> OK \"a\" at revision 1 [+4.000 ms .. +5.000 ms]")
                .contains("state after it: \"b\" at revision 2");
    }

    @Test
    void lostWriteIsAViolation() {
        ops.put("c1", "k", "a", 0, 1, 1);
        ops.put("c2", "k", "b", 2, 3, 2);
        ops.get("c3", "k", 10, 11, "a", 1);

        assertThat(check().verdict()).isEqualTo(Verdict.VIOLATION);
    }

    @Test
    void acknowledgedPutReadAsAbsentIsAViolation() {
        ops.put("c1", "k", "a", 0, 1, 1);
        ops.getAbsent("c2", "k", 5, 6);

        assertThat(check().verdict()).isEqualTo(Verdict.VIOLATION);
    }

    @Test
    void revisionsThatGoBackwardsAreAViolation() {
        ops.put("c1", "k", "a", 0, 1, 5);
        ops.put("c1", "k", "b", 2, 3, 4);

        assertThat(check().verdict()).isEqualTo(Verdict.VIOLATION);
    }

    @Test
    void casSucceedsOnTheCurrentRevisionAndConflictsOtherwise() {
        ops.cas("c1", "k", "a", 0, 0, 1, 1);
        ops.casConflict("c2", "k", "x", 0, 2, 3, new Entry("a", 1));
        ops.cas("c1", "k", "b", 1, 4, 5, 2);
        ops.casConflict("c2", "k", "y", 1, 6, 7, new Entry("b", 2));
        ops.get("c2", "k", 8, 9, "b", 2);

        assertThat(check().verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void casThatSucceedsOnAStaleRevisionIsAViolation() {
        ops.put("c1", "k", "a", 0, 1, 1);
        ops.put("c1", "k", "b", 2, 3, 2);
        ops.cas("c2", "k", "c", 1, 4, 5, 3);

        assertThat(check().verdict()).isEqualTo(Verdict.VIOLATION);
    }

    @Test
    void conflictWhenTheRevisionMatchedIsAViolation() {
        ops.put("c1", "k", "a", 0, 1, 1);
        ops.casConflict("c2", "k", "c", 1, 2, 3, new Entry("z", 4));

        assertThat(check().verdict()).isEqualTo(Verdict.VIOLATION);
    }

    @Test
    void conflictReportingAnotherEntryThanTheStateIsAViolation() {
        ops.put("c1", "k", "a", 0, 1, 1);
        ops.casConflict("c2", "k", "c", 7, 2, 3, new Entry("zzz", 1));

        assertThat(check().verdict()).isEqualTo(Verdict.VIOLATION);
    }

    @Test
    void concurrentCreateOnlyCasesHaveOneWinner() {
        ops.cas("c1", "k", "a", 0, 0, 10, 1);
        ops.casConflict("c2", "k", "b", 0, 1, 9, new Entry("a", 1));
        ops.get("c3", "k", 11, 12, "a", 1);

        assertThat(check().verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void twoCreateOnlyCasesBothSucceedingIsAViolation() {
        ops.cas("c1", "k", "a", 0, 0, 10, 1);
        ops.cas("c2", "k", "b", 0, 1, 9, 2);

        assertThat(check().verdict()).isEqualTo(Verdict.VIOLATION);
    }

    @Test
    void deleteRemovesAPresentKeyAndReportsNothingOnAnAbsentOne() {
        ops.delete("c1", "k", 0, 1, 0, 0);
        ops.put("c1", "k", "a", 2, 3, 1);
        ops.delete("c2", "k", 4, 5, 1, 2);
        ops.delete("c2", "k", 6, 7, 0, 2);
        ops.getAbsent("c1", "k", 8, 9);
        ops.put("c1", "k", "b", 10, 11, 3);

        assertThat(check().verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void deleteOfAnAbsentKeyThatReportsADeletionIsAViolation() {
        ops.delete("c1", "k", 0, 1, 1, 1);

        assertThat(check().verdict()).isEqualTo(Verdict.VIOLATION);
    }

    @Test
    void readOfADeletedValueIsAViolation() {
        ops.put("c1", "k", "a", 0, 1, 1);
        ops.delete("c1", "k", 2, 3, 1, 2);
        ops.get("c2", "k", 4, 5, "a", 1);

        assertThat(check().verdict()).isEqualTo(Verdict.VIOLATION);
    }

    @Test
    void unknownPutNobodyReadCanExplainADeletion() {
        ops.putUnknown("c1", "k", "a", 0);
        ops.delete("c2", "k", 5, 6, 1, 2);
        ops.getAbsent("c2", "k", 7, 8);

        assertThat(check().verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void unknownDeleteMayTakeEffectLater() {
        ops.put("c1", "k", "a", 0, 1, 1);
        ops.deleteUnknown("c2", "k", 2);
        ops.get("c1", "k", 3, 4, "a", 1);
        ops.getAbsent("c1", "k", 5, 6);

        assertThat(check().verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void failedWritesAndUnansweredReadsAreLeftOut() {
        ops.put("c1", "k", "a", 0, 1, 1);
        ops.putFailed("c2", "k", "b", 2, 3);
        ops.get("c1", "k", 4, 5, "a", 1);

        Report report = new LinearizabilityChecker().check(ops.all());

        assertThat(report.linearizable()).isTrue();
    }

    @Test
    void keysAreCheckedSeparately() {
        ops.put("c1", "k", "a", 0, 1, 1);
        ops.put("c1", "other", "x", 2, 3, 2);
        ops.get("c2", "other", 4, 5, "y", 2);

        Report report = new LinearizabilityChecker().check(ops.all());

        assertThat(report.key("k").verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(report.key("other").verdict()).isEqualTo(Verdict.VIOLATION);
        assertThat(report.linearizable()).isFalse();
        assertThat(report.toString()).contains("key other: NOT LINEARIZABLE");
    }

    @Test
    void exhaustingTheBudgetIsInconclusiveNeverAPass() {
        // Every unknown put was read, so none is interchangeable with another, and the reads all overlap: before it
        // can tell that the last read is impossible, the search must try a great many orders.
        for (int i = 0; i < 12; i++) {
            ops.putUnknown("w" + i, "k", "v" + i, i);
            ops.get("r" + i, "k", 20, 1_000, "v" + i, 100 + i);
        }
        ops.get("late", "k", 2_000, 2_001, "never-written", 1_000);

        KeyResult result = new LinearizabilityChecker(1_000).check(ops.all()).key("k");

        assertThat(result.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(result.explanation()).contains("INCONCLUSIVE", "budget 1000");
    }

    @Test
    void chaosSizedLinearizableHistoryIsLinearizable() {
        List<Operation> history = SyntheticWorkload.linearizable(42, 10, 10, 3_000);

        Report report = new LinearizabilityChecker().check(history);

        assertThat(report.keys()).hasSize(10);
        assertThat(report.linearizable()).as(report.toString()).isTrue();
    }

    @Test
    void staleReadHiddenInAChaosSizedHistoryIsFound() {
        List<Operation> history = new ArrayList<>(SyntheticWorkload.linearizable(42, 10, 10, 3_000));
        List<Operation> writes = history.stream()
                .filter(operation -> operation.key().equals("k0") && operation.writesValue() && operation.acknowledgedChange())
                .sorted(Comparator.comparingLong(operation -> operation.output().revision())).toList();
        Operation first = writes.get(0);
        Operation superseding = writes.get(1);
        Operation read = history.stream().filter(operation -> operation.key().equals("k0")
                        && operation.kind() == Kind.GET && operation.outcome() == Outcome.OK
                        && operation.invokeNanos() > superseding.completeNanos())
                .findFirst().orElseThrow();
        history.set((int) read.id(), new Operation(read.id(), "stale-reader", Kind.GET, "k0", null, null, Outcome.OK,
                read.invokeNanos(), read.completeNanos(), Output.found(first.value(), first.output().revision())));

        Report report = new LinearizabilityChecker().check(history);

        assertThat(report.key("k0").verdict()).isEqualTo(Verdict.VIOLATION);
        assertThat(report.key("k0").explanation()).contains("stale-reader GET k0");
        assertThat(report.keys().values()).filteredOn(result -> result.verdict() != Verdict.LINEARIZABLE).hasSize(1);
    }

    @Test
    void manyClientsOnOneKeyAreLinearizable() {
        List<Operation> history = SyntheticWorkload.linearizable(7, 10, 1, 300);

        Report report = new LinearizabilityChecker().check(history);

        assertThat(report.linearizable()).as(report.toString()).isTrue();
    }
}
