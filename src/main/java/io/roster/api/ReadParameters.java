package io.roster.api;

import io.roster.common.InvalidInputException;
import io.roster.raft.ReadConsistency;

/** The {@code ?consistency=} parameter every read endpoint takes. */
public final class ReadParameters {

    private ReadParameters() {
    }

    public static ReadConsistency consistency(String consistency) {
        try {
            return ReadConsistency.parse(consistency);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.invalid("consistency", "consistency must be 'linearizable' or 'serializable', not '"
                    + consistency + "'");
        }
    }
}
