package io.roster.testing.history;

import io.roster.testing.history.Operation.Outcome;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The search for a linearization of one key's operations (Wing &amp; Gong, with Lowe's just-in-time linearization and
 * the memoization Porcupine uses). Invocations and completions form one time-ordered list; the search linearizes the
 * first invocation it can, lifts it out of the list, and starts again from the front; when it meets the completion of
 * an operation it has not linearized, it backtracks. A (linearized set, state) pair seen before is not explored again.
 * <p>
 * OK operations must all be linearized. UNKNOWN writes have no completion in the list: the search may linearize them
 * at any point after their invocation, or never. UNKNOWN writes whose value nobody observed are interchangeable, so
 * of those with the same effect only the earliest-invoked unlinearized one is tried, which keeps the search from
 * trying every subset of them.
 */
final class LinearizationSearch {

    /** How a search ended; {@code longestPrefix} and {@code unplaced} describe where it got stuck. */
    record Result(LinearizabilityChecker.Verdict verdict, long steps, List<Operation> longestPrefix,
                  KeyState stateAfterPrefix, List<Operation> unplaced) {
    }

    private record Memo(BitSet linearized, KeyState state) {
    }

    private final Operation[] operations;
    private final KeyModel model;
    private final long maxSteps;
    private final int requiredCount;
    /** For an interchangeable UNKNOWN write, the previous one (by invocation) with the same effect; -1 otherwise. */
    private final int[] previousInterchangeable;

    // The event list: nodes 0..events-1, then the head and the end sentinels.
    private final int[] eventOperation;
    private final boolean[] eventIsInvocation;
    private final int[] completionOf;
    private final int[] next;
    private final int[] prev;
    private final int head;
    private final int end;

    LinearizationSearch(List<Operation> keyOperations, KeyModel model, Set<String> observedValues, long maxSteps) {
        this.operations = keyOperations.stream().sorted(Comparator.comparingLong(Operation::invokeNanos)
                .thenComparingLong(Operation::id)).toArray(Operation[]::new);
        this.model = model;
        this.maxSteps = maxSteps;
        this.requiredCount = (int) Arrays.stream(operations).filter(LinearizationSearch::required).count();
        this.previousInterchangeable = interchangeableChains(operations, observedValues);

        int events = operations.length + requiredCount;
        eventOperation = new int[events];
        eventIsInvocation = new boolean[events];
        completionOf = new int[events];
        long[] eventTime = new long[events];
        int event = 0;
        for (int i = 0; i < operations.length; i++) {
            eventOperation[event] = i;
            eventIsInvocation[event] = true;
            eventTime[event++] = operations[i].invokeNanos();
            if (required(operations[i])) {
                eventOperation[event] = i;
                eventTime[event++] = operations[i].completeNanos();
            }
        }
        // At equal times invocations come first: treating the two operations as concurrent is the lenient reading.
        Integer[] order = new Integer[events];
        Arrays.setAll(order, e -> e);
        Arrays.sort(order, Comparator.<Integer>comparingLong(e -> eventTime[e])
                .thenComparing(e -> eventIsInvocation[e] ? 0 : 1));
        int[] invocationEventOf = new int[operations.length];
        Arrays.fill(completionOf, -1);
        for (int e : order) {
            if (eventIsInvocation[e]) {
                invocationEventOf[eventOperation[e]] = e;
            } else {
                completionOf[invocationEventOf[eventOperation[e]]] = e;
            }
        }
        next = new int[events + 2];
        prev = new int[events + 2];
        head = events;
        end = events + 1;
        int last = head;
        for (int e : order) {
            next[last] = e;
            prev[e] = last;
            last = e;
        }
        next[last] = end;
        prev[end] = last;
    }

    private static boolean required(Operation operation) {
        return operation.outcome() == Outcome.OK;
    }

    private static int[] interchangeableChains(Operation[] operations, Set<String> observedValues) {
        int[] previous = new int[operations.length];
        Arrays.fill(previous, -1);
        Map<String, Integer> lastOfEffect = new HashMap<>();
        for (int i = 0; i < operations.length; i++) {
            Operation operation = operations[i];
            if (operation.outcome() != Outcome.UNKNOWN || observedValues.contains(operation.value())) {
                continue;
            }
            String effect = operation.kind() + ":" + operation.prevRevision();
            Integer before = lastOfEffect.put(effect, i);
            previous[i] = before == null ? -1 : before;
        }
        return previous;
    }

    Result run() {
        BitSet linearized = new BitSet(operations.length);
        Set<Memo> seen = new HashSet<>();
        int[] stackInvocation = new int[operations.length];
        KeyState[] stackStateBefore = new KeyState[operations.length];
        int depth = 0;
        int[] deepest = new int[0];
        int mostRequiredPlaced = 0;
        KeyState deepestState = KeyState.INITIAL;
        KeyState state = KeyState.INITIAL;
        int requiredLeft = requiredCount;
        long steps = 0;

        int entry = next[head];
        while (requiredLeft > 0) {
            if (entry != end && eventIsInvocation[entry]) {
                int op = eventOperation[entry];
                int earlier = previousInterchangeable[op];
                if (earlier < 0 || linearized.get(earlier)) {
                    if (++steps > maxSteps) {
                        return new Result(LinearizabilityChecker.Verdict.INCONCLUSIVE, steps,
                                operationsOf(deepest), deepestState, unplaced(deepest));
                    }
                    KeyState after = model.step(state, operations[op]);
                    if (after != null) {
                        linearized.set(op);
                        if (seen.add(new Memo((BitSet) linearized.clone(), after))) {
                            stackInvocation[depth] = entry;
                            stackStateBefore[depth++] = state;
                            state = after;
                            lift(entry);
                            if (required(operations[op])) {
                                requiredLeft--;
                            }
                            // Deepest by OK operations placed: UNKNOWN ones placed on top explain nothing.
                            if (requiredCount - requiredLeft > mostRequiredPlaced) {
                                mostRequiredPlaced = requiredCount - requiredLeft;
                                deepest = Arrays.copyOf(stackInvocation, depth);
                                deepestState = state;
                            }
                            entry = next[head];
                            continue;
                        }
                        linearized.clear(op);
                    }
                }
                entry = next[entry];
                continue;
            }
            // A completion of an operation not yet linearized, or nothing left to try: undo the latest choice.
            if (depth == 0) {
                return new Result(LinearizabilityChecker.Verdict.VIOLATION, steps, operationsOf(deepest), deepestState,
                        unplaced(deepest));
            }
            int undone = stackInvocation[--depth];
            state = stackStateBefore[depth];
            int op = eventOperation[undone];
            linearized.clear(op);
            unlift(undone);
            if (required(operations[op])) {
                requiredLeft++;
            }
            entry = next[undone];
        }
        return new Result(LinearizabilityChecker.Verdict.LINEARIZABLE, steps, List.of(), state, List.of());
    }

    private void lift(int invocation) {
        unlink(invocation);
        if (completionOf[invocation] >= 0) {
            unlink(completionOf[invocation]);
        }
    }

    /** Relinks in the reverse order of {@link #lift}, which restores the list exactly (dancing links). */
    private void unlift(int invocation) {
        if (completionOf[invocation] >= 0) {
            relink(completionOf[invocation]);
        }
        relink(invocation);
    }

    private void unlink(int event) {
        next[prev[event]] = next[event];
        prev[next[event]] = prev[event];
    }

    private void relink(int event) {
        next[prev[event]] = event;
        prev[next[event]] = event;
    }

    private List<Operation> operationsOf(int[] invocations) {
        return Arrays.stream(invocations).mapToObj(e -> operations[eventOperation[e]]).toList();
    }

    /**
     * After the longest linearizable prefix, the OK operations that had to come next: those invoked before the
     * earliest completion among the operations still to place. The one completing first is listed first.
     */
    private List<Operation> unplaced(int[] prefix) {
        BitSet placed = new BitSet(operations.length);
        for (int e : prefix) {
            placed.set(eventOperation[e]);
        }
        long deadline = Long.MAX_VALUE;
        for (int i = 0; i < operations.length; i++) {
            if (!placed.get(i) && required(operations[i])) {
                deadline = Math.min(deadline, operations[i].completeNanos());
            }
        }
        List<Operation> frontier = new ArrayList<>();
        for (int i = 0; i < operations.length; i++) {
            if (!placed.get(i) && required(operations[i]) && operations[i].invokeNanos() <= deadline) {
                frontier.add(operations[i]);
            }
        }
        frontier.sort(Comparator.comparingLong(Operation::completeNanos));
        return frontier;
    }
}
