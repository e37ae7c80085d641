package io.roster.registry;

import java.util.Map;

/**
 * Filters for a lookup; null fields match everything. Metadata filters must all match.
 */
public record InstanceQuery(InstanceStatus status, String zone, Map<String, String> metadata) {

    public InstanceQuery {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public static InstanceQuery all() {
        return new InstanceQuery(null, null, Map.of());
    }

    boolean matches(Instance instance) {
        InstanceSpec spec = instance.spec();
        if (status != null && spec.status() != status) {
            return false;
        }
        if (zone != null && !zone.equals(spec.zone())) {
            return false;
        }
        for (Map.Entry<String, String> wanted : metadata.entrySet()) {
            if (!wanted.getValue().equals(spec.metadata().get(wanted.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
