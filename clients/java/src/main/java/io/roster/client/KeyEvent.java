package io.roster.client;

/**
 * One change to a watched key.
 *
 * @param value    the new value on PUT, null on DELETE
 * @param revision the revision of the change (the SSE event id)
 * @param cause    {@code request}, {@code lease-expired} or {@code lease-revoked}
 */
public record KeyEvent(EventType type, String key, String value, long createRevision, long modRevision, long version,
                       String lease, long revision, String cause) {
}
