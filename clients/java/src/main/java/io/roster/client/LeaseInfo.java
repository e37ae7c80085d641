package io.roster.client;

import java.util.List;

/** A lease's granted TTL, the time left on the leader's clock, and the keys bound to it. */
public record LeaseInfo(String id, long ttlSeconds, long remainingSeconds, long remainingMillis, List<String> keys) {

    public LeaseInfo {
        keys = List.copyOf(keys);
    }
}
