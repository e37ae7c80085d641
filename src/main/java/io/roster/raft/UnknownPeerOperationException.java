package io.roster.raft;

/** The leader does not know the operation it was sent (an older member); nothing was done there. */
class UnknownPeerOperationException extends RaftUnavailableException {

    UnknownPeerOperationException(String message) {
        super(message, false);
    }
}
