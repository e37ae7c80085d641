package io.roster.raft;

/** Thrown by a {@link PeerHandler} or a proposal when this node lost leadership before acting: safe to retry. */
public class NotLeaderException extends RuntimeException {

    public NotLeaderException(String message) {
        super(message);
    }
}
