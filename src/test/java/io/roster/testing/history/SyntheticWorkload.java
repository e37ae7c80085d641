package io.roster.testing.history;

import io.roster.testing.history.Operation.Kind;
import io.roster.testing.history.Operation.Outcome;
import io.roster.testing.history.Operation.Output;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates linearizable histories the size of a chaos run: clients issue operations back to back on random keys,
 * each takes effect at a random instant inside its interval, and outputs come from a real sequential store applied
 * in that order. A few writes FAIL (and never apply) or end UNKNOWN (half of those apply).
 */
final class SyntheticWorkload {

    private record Planned(long id, String client, Kind kind, String key, String value, long invoke, long effect,
                           long complete, Outcome outcome, boolean applies) {
    }

    private SyntheticWorkload() {
    }

    static List<Operation> linearizable(long seed, int clients, int keys, int operationsPerClient) {
        Random random = new Random(seed);
        List<Planned> planned = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long time = random.nextInt(20_000_000);
            for (int n = 0; n < operationsPerClient; n++) {
                long duration = 1_000_000 + random.nextInt(30_000_000);
                Kind kind = pick(random);
                String value = kind == Kind.PUT || kind == Kind.CAS ? "c" + c + "-" + n : null;
                int roll = random.nextInt(100);
                Outcome outcome = kind == Kind.GET || roll >= 5 ? Outcome.OK : roll < 2 ? Outcome.FAILED : Outcome.UNKNOWN;
                boolean applies = outcome == Outcome.OK || outcome == Outcome.UNKNOWN && random.nextBoolean();
                planned.add(new Planned(planned.size(), "c" + c, kind, "k" + random.nextInt(keys), value, time,
                        time + (long) (random.nextDouble() * duration), time + duration, outcome, applies));
                time += duration + random.nextInt(20_000_000);
            }
        }
        planned.sort(Comparator.comparingLong(Planned::effect));
        Map<String, Entry> store = new HashMap<>();
        long revision = 0;
        List<Operation> history = new ArrayList<>();
        for (Planned op : planned) {
            Entry current = store.get(op.key());
            long prevRevision = current == null ? 0 : current.modRevision();
            if (op.kind() == Kind.CAS && random.nextInt(3) == 0) {
                prevRevision = Math.max(0, prevRevision - 1 - random.nextInt(3));
            }
            boolean compareFails = op.kind() == Kind.CAS && prevRevision != (current == null ? 0 : current.modRevision());
            boolean changes = op.kind() != Kind.GET && op.applies() && !compareFails && (op.kind() != Kind.DELETE || current != null);
            if (changes) {
                revision++;
                if (op.kind() == Kind.DELETE) {
                    store.remove(op.key());
                } else {
                    store.put(op.key(), new Entry(op.value(), revision));
                }
            }
            Output output = switch (op.kind()) {
                case GET -> current == null ? Output.absent() : Output.found(current.value(), current.modRevision());
                case PUT -> Output.written(revision);
                case CAS -> compareFails ? Output.conflict(current) : Output.written(revision);
                case DELETE -> Output.deleted(changes ? 1 : 0, revision);
            };
            // An outcome other than OK hides the output; a refused CAS is an answer, so it is always OK.
            Outcome outcome = output.conflict() ? Outcome.OK : op.outcome();
            history.add(new Operation(op.id(), op.client(), op.kind(), op.key(), op.value(),
                    op.kind() == Kind.CAS ? prevRevision : null, outcome,
                    op.invoke(), outcome == Outcome.UNKNOWN ? Long.MAX_VALUE : op.complete(),
                    outcome == Outcome.OK ? output : null));
        }
        history.sort(Comparator.comparingLong(Operation::id));
        return history;
    }

    private static Kind pick(Random random) {
        int roll = random.nextInt(100);
        return roll < 45 ? Kind.GET : roll < 75 ? Kind.PUT : roll < 90 ? Kind.CAS : Kind.DELETE;
    }
}
