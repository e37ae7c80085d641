package io.roster.api.registry;

import java.util.Map;

/** Fields to change in place; absent fields stay. {@code metadata} replaces the whole map when given. */
public record PatchInstanceRequest(String status, Integer weight, Map<String, String> metadata) {
}
