package io.roster.raft;

/** A member asked over its peer port gave no answer: it is down, cut off, or too slow; nothing is known of it. */
public class PeerUnreachableException extends RaftUnavailableException {

    public PeerUnreachableException(String message) {
        super(message, false);
    }
}
