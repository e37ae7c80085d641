package io.roster.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A registered instance.
 *
 * @param zone        its zone, or null
 * @param leaseId     the lease that keeps it registered (heartbeats renew it)
 * @param modRevision the revision of its last change
 */
public record Instance(String service, String instanceId, String host, int port, boolean secure, String zone, int weight,
                       InstanceStatus status, Map<String, String> metadata, String leaseId, long ttlSeconds,
                       long createRevision, long modRevision) {

    public Instance {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
