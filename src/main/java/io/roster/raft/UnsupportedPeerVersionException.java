package io.roster.raft;

/**
 * The member asked serves the operation, but not in the version it was sent: the two run releases too far
 * apart to talk. Nothing was done there.
 */
public class UnsupportedPeerVersionException extends RaftUnavailableException {

    public UnsupportedPeerVersionException(String message) {
        super(message, false);
    }
}
