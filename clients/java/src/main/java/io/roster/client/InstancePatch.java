package io.roster.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Fields to change in place, keeping the instance's lease; null fields stay. {@code metadata} replaces the whole map. */
public record InstancePatch(InstanceStatus status, Integer weight, Map<String, String> metadata) {

    public InstancePatch {
        metadata = metadata == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        if (status == null && weight == null && metadata == null) {
            throw new IllegalArgumentException("a patch changes at least one of status, weight or metadata");
        }
    }

    public static InstancePatch status(InstanceStatus status) {
        return new InstancePatch(status, null, null);
    }

    public static InstancePatch weight(int weight) {
        return new InstancePatch(null, weight, null);
    }

    public static InstancePatch metadata(Map<String, String> metadata) {
        return new InstancePatch(null, null, metadata);
    }
}
