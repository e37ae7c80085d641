package io.roster.registry;

import java.util.Map;

/** What a service instance registers: where it is and how to treat it. Validated by {@link RegistryLimits}. */
public record InstanceSpec(String host, int port, boolean secure, long ttlSeconds, String zone, int weight,
                           InstanceStatus status, Map<String, String> metadata) {

    public InstanceSpec {
        RegistryLimits.requireStringEntries(metadata); // before the copy, which would throw on a null value
        metadata = Map.copyOf(metadata);
    }
}
