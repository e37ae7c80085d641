package io.roster.registry;

import java.util.Map;

/** A change to a registered instance without re-registering; null fields stay as they are. */
public record InstancePatch(InstanceStatus status, Integer weight, Map<String, String> metadata) {
}
