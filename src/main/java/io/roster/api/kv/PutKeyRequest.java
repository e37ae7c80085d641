package io.roster.api.kv;

/**
 * @param lease id of a lease to bind the key to (deleted with it), or null
 * @param prevRevision compare-and-swap: 0 = create only if absent, N = only if the key's mod revision is N
 */
public record PutKeyRequest(String value, String lease, Long prevRevision) {
}
