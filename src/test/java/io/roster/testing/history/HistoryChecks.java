package io.roster.testing.history;

import io.roster.testing.history.Operation.Kind;
import io.roster.testing.history.Operation.Outcome;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks of a history beyond linearizability, each returning human-readable violations (empty when it holds).
 * They rely on the workload writing each value only once, so a value read identifies the write that wrote it.
 */
public final class HistoryChecks {

    private HistoryChecks() {
    }

    /**
     * A write that FAILED (including a 503 with {@code mayHaveApplied: false}) must never be observed: no OK read
     * and no reported conflict may show its value.
     */
    public static List<String> failedWritesNeverApplied(List<Operation> operations) {
        OperationFormat format = OperationFormat.startingAtFirstInvocation(operations);
        Map<String, Operation> failedWrites = new HashMap<>();
        for (Operation operation : operations) {
            if (operation.outcome() == Outcome.FAILED && operation.writesValue()) {
                failedWrites.put(operation.key() + "\u0000" + operation.value(), operation);
            }
        }
        List<String> violations = new ArrayList<>();
        for (Operation operation : operations) {
            if (operation.outcome() != Outcome.OK || operation.output().entry() == null) {
                continue;
            }
            Operation failed = failedWrites.get(operation.key() + "\u0000" + operation.output().entry().value());
            if (failed != null) {
                violations.add("FAILED write " + format.describe(failed) + " was applied: "
                        + format.describe(operation) + " saw its value");
            }
        }
        return violations;
    }

    /**
     * Given each key's value read after the cluster healed ({@code Optional.empty()} = absent), the last acknowledged
     * change of every key is still there, or was superseded by a write with a greater revision (acknowledged or
     * UNKNOWN) or by a delete that may have come after it.
     */
    public static List<String> noAcknowledgedWriteLost(List<Operation> operations,
                                                       Map<String, Optional<Entry>> finalReads) {
        OperationFormat format = OperationFormat.startingAtFirstInvocation(operations);
        Map<String, List<Operation>> byKey = new TreeMap<>();
        operations.forEach(operation -> byKey.computeIfAbsent(operation.key(), key -> new ArrayList<>()).add(operation));
        List<String> violations = new ArrayList<>();
        byKey.forEach((key, keyOperations) -> keyOperations.stream().filter(Operation::acknowledgedChange)
                .max(Comparator.comparingLong(operation -> operation.output().revision()))
                .ifPresent(last -> {
                    Optional<Entry> finalRead = finalReads.get(key);
                    if (finalRead == null) {
                        violations.add("key " + key + " has acknowledged writes but no final read");
                    } else if (!survives(last, finalRead, keyOperations)) {
                        violations.add("acknowledged write " + format.describe(last) + " (revision "
                                + last.output().revision() + ") lost: the final read of " + key + " shows "
                                + OperationFormat.entry(finalRead.orElse(null)));
                    }
                }));
        return violations;
    }

    private static boolean survives(Operation last, Optional<Entry> finalRead, List<Operation> keyOperations) {
        long revision = last.output().revision();
        if (finalRead.isEmpty()) {
            return last.kind() == Kind.DELETE || keyOperations.stream().anyMatch(operation -> operation.kind() == Kind.DELETE
                    && (operation.outcome() == Outcome.UNKNOWN
                    || operation.acknowledgedChange() && operation.output().revision() > revision));
        }
        Entry entry = finalRead.get();
        if (last.kind() != Kind.DELETE && entry.value().equals(last.value())) {
            return entry.modRevision() == revision;
        }
        return entry.modRevision() > revision && keyOperations.stream().anyMatch(operation -> operation.writesValue()
                && operation.outcome() != Outcome.FAILED && entry.value().equals(operation.value()));
    }
}
