package io.roster.raft;

/**
 * The cluster could not serve the request in time: no leader, no quorum, or the node is stopping.
 * {@code mayHaveApplied} tells the client whether a retry could apply a write twice.
 */
public class RaftUnavailableException extends RuntimeException {

    private final boolean mayHaveApplied;

    public RaftUnavailableException(String message, boolean mayHaveApplied) {
        super(message);
        this.mayHaveApplied = mayHaveApplied;
    }

    public boolean mayHaveApplied() {
        return mayHaveApplied;
    }
}
