package io.roster.raft;

/**
 * A request one member sends another on the peer port. The body is opaque here: each operation encodes
 * its own (commands use the store's versioned codec); {@link PeerMessageSerializer} frames the envelope.
 */
final class PeerRequest {

    private final String operation;
    private final byte[] body;

    PeerRequest(String operation, byte[] body) {
        this.operation = operation;
        this.body = body;
    }

    String operation() {
        return operation;
    }

    byte[] body() {
        return body;
    }
}
