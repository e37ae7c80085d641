package io.roster.client;

/**
 * 404: no such key, lease or instance. For a heartbeat or a lease keep-alive it means the instance or
 * lease expired (or was removed): register again, or grant a new lease.
 */
public class NotFoundException extends RosterServerException {

    private final long revision;

    public NotFoundException(String endpoint, Problem problem, long revision) {
        super(endpoint, problem);
        this.revision = revision;
    }

    /** The store revision at which it was not found, or 0 when the server did not say. */
    public long revision() {
        return revision;
    }
}
