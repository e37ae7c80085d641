package io.roster.client;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The cluster could not serve the request: no member answered, or the members had no leader or quorum
 * (503). {@link #mayHaveApplied()} says honestly whether a write might have taken effect anyway: true when
 * a write was sent and then its answer was lost (a broken connection, a timeout) or a member answered 503
 * with {@code mayHaveApplied}. Such a write is never sent again by the client; reading back decides.
 */
public class ClusterUnavailableException extends RosterException {

    private final List<EndpointFailure> failures;
    private final boolean mayHaveApplied;

    public ClusterUnavailableException(List<EndpointFailure> failures, boolean mayHaveApplied, String note) {
        super(message(failures, mayHaveApplied, note));
        this.failures = List.copyOf(failures);
        this.mayHaveApplied = mayHaveApplied;
    }

    private static String message(List<EndpointFailure> failures, boolean mayHaveApplied, String note) {
        String tried = failures.stream().map(EndpointFailure::toString).collect(Collectors.joining(", "));
        String what = mayHaveApplied ? "the write may have been applied: " : "no endpoint answered: ";
        return what + tried + (note == null ? "" : " (" + note + ")");
    }

    /** Each endpoint tried, in order, and why it did not serve the request. */
    public List<EndpointFailure> failures() {
        return failures;
    }

    public boolean mayHaveApplied() {
        return mayHaveApplied;
    }
}
