package io.roster.raft;

import java.io.Serial;
import java.io.Serializable;

/**
 * A request a follower sends to the leader on the peer port. The body is opaque here: each operation
 * encodes its own (commands use the store's versioned codec). Bolt serialises this envelope.
 */
public final class PeerRequest implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private String operation;
    private byte[] body;

    public PeerRequest() {
    }

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
