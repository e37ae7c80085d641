package io.roster.raft;

import java.io.Serial;
import java.io.Serializable;

/**
 * Several {@link PeerRequest}s a follower sends to the leader in one RPC; the leader answers with a
 * {@link PeerBatchResponse} holding one {@link PeerResponse} per request, in the same order.
 */
public final class PeerBatch implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private PeerRequest[] requests;

    public PeerBatch() {
    }

    PeerBatch(PeerRequest[] requests) {
        this.requests = requests;
    }

    PeerRequest[] requests() {
        return requests;
    }
}
