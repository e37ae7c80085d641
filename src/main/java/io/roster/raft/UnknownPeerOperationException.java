package io.roster.raft;

/** The member asked does not know the operation it was sent (an older release); nothing was done there. */
public class UnknownPeerOperationException extends RaftUnavailableException {

    public UnknownPeerOperationException(String message) {
        super(message, false);
    }
}
