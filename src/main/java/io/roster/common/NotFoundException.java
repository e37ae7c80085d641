package io.roster.common;

/** The thing asked for does not exist (any more): a key, a lease. */
public class NotFoundException extends RuntimeException {

    private final long revision;

    public NotFoundException(String message, long revision) {
        super(message);
        this.revision = revision;
    }

    /** The store revision at which it was found missing. */
    public long revision() {
        return revision;
    }
}
