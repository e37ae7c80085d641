package io.roster.testing.history;

import io.roster.testing.history.Operation.Outcome;
import io.roster.testing.history.Operation.Output;

import java.util.Set;

/**
 * The sequential specification of one key: whether an operation, taking effect at one instant in a given state,
 * could have produced the output it returned, and the state it leaves. UNKNOWN writes have no output to check;
 * they apply if they could (a CAS whose comparison fails simply never applies).
 */
final class KeyModel {

    /** Values some OK read or conflict returned; the others are replaced by {@link KeyState#UNOBSERVED}. */
    private final Set<String> observedValues;

    KeyModel(Set<String> observedValues) {
        this.observedValues = observedValues;
    }

    /** The state after {@code operation} took effect in {@code state}, or null if it could not have. */
    KeyState step(KeyState state, Operation operation) {
        boolean unknown = operation.outcome() == Outcome.UNKNOWN;
        Output output = operation.output();
        return switch (operation.kind()) {
            case GET -> read(state, output.entry());
            case PUT -> unknown ? appliedUnknown(state, operation) : written(state, operation.value(), output.revision());
            case CAS -> {
                if (!unknown && output.conflict()) {
                    yield refused(state, operation.prevRevision(), output.entry());
                }
                if (!comparisonHolds(state, operation.prevRevision())) {
                    yield null;
                }
                yield unknown ? appliedUnknown(state, operation) : written(state, operation.value(), output.revision());
            }
            case DELETE -> {
                if (unknown) {
                    yield state.present() ? state.replacedByUnknownWrite(null) : null;
                }
                if (output.deleted() == 1) {
                    yield state.present() && state.precedes(output.revision()) ? KeyState.absent(output.revision()) : null;
                }
                yield state.present() ? null : state;
            }
        };
    }

    /** A read matches the state exactly; a value whose revision was unknown takes the (plausible) one the read shows. */
    private static KeyState read(KeyState state, Entry entry) {
        if (entry == null) {
            return state.present() ? null : state;
        }
        if (!state.present() || !entry.value().equals(state.value()) || !state.couldHaveRevision(entry.modRevision())) {
            return null;
        }
        return KeyState.present(state.value(), entry.modRevision());
    }

    private static KeyState written(KeyState state, String value, long revision) {
        return state.precedes(revision) ? KeyState.present(value, revision) : null;
    }

    private KeyState appliedUnknown(KeyState state, Operation operation) {
        return state.replacedByUnknownWrite(
                observedValues.contains(operation.value()) ? operation.value() : KeyState.UNOBSERVED);
    }

    /** prevRevision 0 means "absent"; a state whose revision is unknown may have had any revision above its floor. */
    private static boolean comparisonHolds(KeyState state, long prevRevision) {
        if (prevRevision == 0) {
            return !state.present();
        }
        return state.present() && state.couldHaveRevision(prevRevision);
    }

    /** A refused CAS is a read: the comparison failed, and the current entry it reported is the state. */
    private static KeyState refused(KeyState state, long prevRevision, Entry current) {
        if (state.present() && state.revisionKnown() && state.revision() == prevRevision) {
            return null;
        }
        if (prevRevision == 0 && !state.present()) {
            return null;
        }
        if (current != null && current.modRevision() == prevRevision) {
            return null;
        }
        return read(state, current);
    }
}
