package io.roster.raft;

import java.io.Serial;
import java.io.Serializable;

/** The leader's answer to a {@link PeerRequest}: a body, or an error status with a message. */
public final class PeerResponse implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    static final int OK = 0;
    /** The receiver is not the leader (any more); nothing was done, so the caller may retry elsewhere. */
    static final int NOT_LEADER = 1;
    /** The operation failed or timed out on the leader; a write may or may not have been applied. */
    static final int FAILED = 2;
    /** The receiver does not know the operation (a newer peer); nothing was done. */
    static final int UNKNOWN_OPERATION = 3;

    private int status;
    private byte[] body;
    private String message;

    public PeerResponse() {
    }

    private PeerResponse(int status, byte[] body, String message) {
        this.status = status;
        this.body = body;
        this.message = message;
    }

    static PeerResponse ok(byte[] body) {
        return new PeerResponse(OK, body, null);
    }

    static PeerResponse error(int status, String message) {
        return new PeerResponse(status, null, message);
    }

    int status() {
        return status;
    }

    byte[] body() {
        return body;
    }

    String message() {
        return message;
    }
}
