package io.roster.raft;

/**
 * A request one member sends another on the peer port: a {@link PeerOperation}'s name and version, and
 * its request encoded by the operation's codec; {@link PeerMessageSerializer} frames the envelope.
 */
final class PeerRequest {

    private final String operation;
    private final int version;
    private final byte[] body;

    PeerRequest(String operation, int version, byte[] body) {
        this.operation = operation;
        this.version = version;
        this.body = body;
    }

    String operation() {
        return operation;
    }

    int version() {
        return version;
    }

    byte[] body() {
        return body;
    }
}
