package io.roster.api.registry;

import java.util.Map;

/**
 * A registration as clients send it. {@code host} and {@code port} are required; the rest default to
 * {@code secure=false}, the configured TTL (30 s), {@code weight=100}, {@code status=UP}, no metadata.
 */
public record RegisterInstanceRequest(String host, Integer port, Boolean secure, Long ttlSeconds, String zone,
                                      Integer weight, String status, Map<String, String> metadata) {
}
