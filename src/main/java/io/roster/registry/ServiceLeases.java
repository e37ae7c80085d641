package io.roster.registry;

import java.util.Map;

/**
 * The time left on each instance's lease of a service, as the leader's lease clock had it when asked.
 *
 * @param remainingMillis by instance id; an instance whose lease is gone (expiring now) is left out
 * @param revision        the store revision of the instance list the leases were read for
 */
public record ServiceLeases(String service, Map<String, Long> remainingMillis, long revision) {

    public ServiceLeases {
        remainingMillis = Map.copyOf(remainingMillis);
    }
}
