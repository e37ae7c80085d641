package io.roster.raft;

import java.io.Serial;
import java.io.Serializable;

/** The leader's answers to a {@link PeerBatch}, one per request and in its order. */
public final class PeerBatchResponse implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private PeerResponse[] responses;

    public PeerBatchResponse() {
    }

    PeerBatchResponse(PeerResponse[] responses) {
        this.responses = responses;
    }

    PeerResponse[] responses() {
        return responses;
    }
}
