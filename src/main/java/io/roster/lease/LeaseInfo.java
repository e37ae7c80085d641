package io.roster.lease;

import java.util.List;

/** A lease as its holder sees it: granted TTL, time left on the leader's clock, and the keys bound to it. */
public record LeaseInfo(long id, long ttlSeconds, long remainingMillis, List<String> keys) {

    public LeaseInfo {
        keys = List.copyOf(keys);
    }
}
