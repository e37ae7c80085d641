package io.roster.raft;

/** The leader's answer to a {@link PeerRequest}: a body, or an error status with a message. */
final class PeerResponse {

    static final int OK = 0;
    /** The receiver is not the leader (any more); nothing was done, so the caller may retry elsewhere. */
    static final int NOT_LEADER = 1;
    /** The operation failed or timed out on the leader; a write may or may not have been applied. */
    static final int FAILED = 2;
    /** The receiver does not know the operation (a newer peer); nothing was done. */
    static final int UNKNOWN_OPERATION = 3;
    /** The receiver knows the operation but not in the version sent (a release too far apart); nothing was done. */
    static final int UNSUPPORTED_VERSION = 4;

    private final int status;
    private final byte[] body;
    private final String message;

    PeerResponse(int status, byte[] body, String message) {
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
