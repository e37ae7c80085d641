package io.roster.client;

import java.util.List;

/**
 * No member served the request and nothing was applied: each endpoint was unreachable, timed out before
 * the request was sent, or answered 503 without {@code mayHaveApplied}. The message names every endpoint
 * and why, e.g. {@code no endpoint answered: http://10.0.0.1:2379 (connection refused), http://10.0.0.2:2379
 * (503 no leader)}. Distinct from a member saying no ({@link RosterServerException}).
 */
public class NoEndpointAvailableException extends ClusterUnavailableException {

    public NoEndpointAvailableException(List<EndpointFailure> failures) {
        super(failures, false, null);
    }
}
