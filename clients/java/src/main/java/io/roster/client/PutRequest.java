package io.roster.client;

/**
 * A put with its options.
 *
 * @param lease        the id of a lease to bind the key to (deleted with it), or null
 * @param prevRevision compare-and-swap: 0 = create only if absent, N = only if the key's mod revision is N;
 *                     null for an unconditional put
 */
public record PutRequest(String key, String value, String lease, Long prevRevision) {

    public static PutRequest of(String key, String value) {
        return new PutRequest(key, value, null, null);
    }

    public PutRequest withLease(String lease) {
        return new PutRequest(key, value, lease, prevRevision);
    }

    public PutRequest ifModRevision(long prevRevision) {
        return new PutRequest(key, value, lease, prevRevision);
    }

    public PutRequest ifAbsent() {
        return ifModRevision(0);
    }
}
