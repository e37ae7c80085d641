package io.roster.testing.history;

import io.roster.testing.history.Operation.Outcome;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checks that a history is linearizable, key by key (linearizability is compositional, so each key's operations can
 * be checked alone against a single-key model). Each key gets a budget of model steps; a key whose search exceeds it
 * is INCONCLUSIVE, never passed.
 * <p>
 * FAILED writes are left out (they surely did not apply; {@link HistoryChecks#failedWritesNeverApplied} checks that
 * no read saw one), and so are reads that did not return OK, which constrain nothing.
 */
public final class LinearizabilityChecker {

    /** Enough for a few thousand operations per key from ten clients with room to spare. */
    public static final long DEFAULT_MAX_STEPS_PER_KEY = 20_000_000;
    private static final int PREFIX_OPERATIONS_SHOWN = 10;

    public enum Verdict { LINEARIZABLE, VIOLATION, INCONCLUSIVE }

    /** The verdict for one key; {@code explanation} is empty for LINEARIZABLE. */
    public record KeyResult(String key, Verdict verdict, long steps, String explanation) {
    }

    /** The verdicts of all keys, by key. */
    public record Report(Map<String, KeyResult> keys) {

        /** True only if every key is LINEARIZABLE. */
        public boolean linearizable() {
            return keys.values().stream().allMatch(result -> result.verdict() == Verdict.LINEARIZABLE);
        }

        public KeyResult key(String key) {
            return keys.get(key);
        }

        /** The explanations of every key that is not LINEARIZABLE, or "linearizable" if there is none. */
        @Override
        public String toString() {
            String problems = keys.values().stream().filter(result -> result.verdict() != Verdict.LINEARIZABLE)
                    .map(KeyResult::explanation).collect(Collectors.joining("\n\n"));
            return problems.isEmpty() ? "linearizable (" + keys.size() + " keys)" : problems;
        }
    }

    private final long maxStepsPerKey;

    public LinearizabilityChecker() {
        this(DEFAULT_MAX_STEPS_PER_KEY);
    }

    public LinearizabilityChecker(long maxStepsPerKey) {
        this.maxStepsPerKey = maxStepsPerKey;
    }

    public Report check(History history) {
        return check(history.operations());
    }

    public Report check(List<Operation> operations) {
        OperationFormat format = OperationFormat.startingAtFirstInvocation(operations);
        Map<String, List<Operation>> byKey = new TreeMap<>();
        for (Operation operation : operations) {
            if (constrains(operation)) {
                byKey.computeIfAbsent(operation.key(), key -> new ArrayList<>()).add(operation);
            }
        }
        Map<String, KeyResult> results = new LinkedHashMap<>();
        byKey.forEach((key, keyOperations) -> results.put(key, checkKey(key, keyOperations, format)));
        return new Report(results);
    }

    private static boolean constrains(Operation operation) {
        return switch (operation.outcome()) {
            case OK -> true;
            case UNKNOWN -> operation.modifies();
            case FAILED -> false;
        };
    }

    private KeyResult checkKey(String key, List<Operation> keyOperations, OperationFormat format) {
        Set<String> observed = observedValues(keyOperations);
        LinearizationSearch.Result result = new LinearizationSearch(keyOperations, new KeyModel(observed), observed,
                maxStepsPerKey).run();
        String explanation = switch (result.verdict()) {
            case LINEARIZABLE -> "";
            case VIOLATION -> "key " + key + ": NOT LINEARIZABLE.\n" + whereStuck(result, keyOperations, format);
            case INCONCLUSIVE -> "key " + key + ": INCONCLUSIVE, the search gave up after " + result.steps()
                    + " steps (budget " + maxStepsPerKey + ").\n" + whereStuck(result, keyOperations, format);
        };
        return new KeyResult(key, result.verdict(), result.steps(), explanation);
    }

    /** Values returned by OK reads and conflicts: the only values whose identity matters to the model. */
    private static Set<String> observedValues(List<Operation> keyOperations) {
        Set<String> observed = new HashSet<>();
        for (Operation operation : keyOperations) {
            if (operation.outcome() == Outcome.OK && operation.output().entry() != null) {
                observed.add(operation.output().entry().value());
            }
        }
        return observed;
    }

    private static String whereStuck(LinearizationSearch.Result result, List<Operation> keyOperations,
                                     OperationFormat format) {
        List<Operation> prefix = result.longestPrefix();
        StringBuilder text = new StringBuilder();
        text.append("Longest linearizable prefix: ").append(prefix.size()).append(" of ").append(keyOperations.size())
                .append(" operations");
        if (prefix.size() > PREFIX_OPERATIONS_SHOWN) {
            text.append(", its last ").append(PREFIX_OPERATIONS_SHOWN);
        }
        text.append(":\n");
        for (Operation operation : prefix.subList(Math.max(0, prefix.size() - PREFIX_OPERATIONS_SHOWN), prefix.size())) {
            text.append("    ").append(format.describe(operation)).append('\n');
        }
        text.append("  state after it: ").append(result.stateAfterPrefix()).append('\n');
        text.append("  could not place next (the first must take effect before it completes):\n");
        for (Operation operation : result.unplaced()) {
            text.append("    ").append(format.describe(operation)).append('\n');
        }
        return text.toString();
    }
}
