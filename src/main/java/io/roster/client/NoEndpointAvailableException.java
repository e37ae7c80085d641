package io.roster.client;

import java.util.List;
import java.util.stream.Collectors;

/**
 * No endpoint served the request: each was unreachable, timed out or answered 503. The message names
 * every endpoint tried and why, e.g. {@code no endpoint answered: http://10.0.0.1:2379 (connection refused),
 * http://10.0.0.2:2379 (timed out after 5s)}.
 */
public class NoEndpointAvailableException extends RosterClientException {

    private final List<EndpointFailure> failures;

    public NoEndpointAvailableException(List<EndpointFailure> failures) {
        this(failures, null);
    }

    /** @param note why the remaining endpoints were not tried, or null */
    public NoEndpointAvailableException(List<EndpointFailure> failures, String note) {
        super("no endpoint answered: " + failures.stream().map(EndpointFailure::toString).collect(Collectors.joining(", "))
                + (note == null ? "" : " (" + note + ")"));
        this.failures = List.copyOf(failures);
    }

    public List<EndpointFailure> failures() {
        return failures;
    }
}
