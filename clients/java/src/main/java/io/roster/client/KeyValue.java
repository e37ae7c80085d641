package io.roster.client;

/**
 * One key as stored.
 *
 * @param modRevision the revision of its last change (the value for a compare-and-swap's prevRevision)
 * @param version     how many times it was written since it was created
 * @param lease       the id of the lease it is bound to, or null
 */
public record KeyValue(String key, String value, long createRevision, long modRevision, long version, String lease) {
}
