package io.roster.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An instance as a service registers it. {@code host} and {@code port} are required; null fields take the
 * server's defaults: not secure, the configured TTL (30 s), weight 100, status UP, no zone, no metadata.
 */
public record InstanceSpec(String host, int port, Boolean secure, Long ttlSeconds, String zone, Integer weight,
                           InstanceStatus status, Map<String, String> metadata) {

    public InstanceSpec {
        metadata = metadata == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    public static InstanceSpec of(String host, int port) {
        return new InstanceSpec(host, port, null, null, null, null, null, null);
    }

    public InstanceSpec withSecure(boolean secure) {
        return new InstanceSpec(host, port, secure, ttlSeconds, zone, weight, status, metadata);
    }

    public InstanceSpec withTtlSeconds(long ttlSeconds) {
        return new InstanceSpec(host, port, secure, ttlSeconds, zone, weight, status, metadata);
    }

    public InstanceSpec withZone(String zone) {
        return new InstanceSpec(host, port, secure, ttlSeconds, zone, weight, status, metadata);
    }

    public InstanceSpec withWeight(int weight) {
        return new InstanceSpec(host, port, secure, ttlSeconds, zone, weight, status, metadata);
    }

    public InstanceSpec withStatus(InstanceStatus status) {
        return new InstanceSpec(host, port, secure, ttlSeconds, zone, weight, status, metadata);
    }

    public InstanceSpec withMetadata(Map<String, String> metadata) {
        return new InstanceSpec(host, port, secure, ttlSeconds, zone, weight, status, metadata);
    }
}
