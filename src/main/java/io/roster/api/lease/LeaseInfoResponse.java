package io.roster.api.lease;

import java.util.List;

/** A lease's granted TTL, the time left on the leader's clock, and the keys bound to it. */
public record LeaseInfoResponse(String id, long ttlSeconds, long remainingSeconds, long remainingMillis, List<String> keys) {
}
