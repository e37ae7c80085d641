package io.roster.api.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.roster.lease.LeaseIds;
import io.roster.registry.Instance;

import java.time.Instant;
import java.util.Map;

/**
 * One instance on the wire. {@code registeredAt} is when the member that took the registration registered
 * it (ISO-8601, absent for instances registered before it was recorded). {@code revision} is the store
 * revision the answer reflects; it is present on answers to writes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InstanceResponse(String service, String instanceId, String host, int port, boolean secure, String zone,
                               int weight, String status, Map<String, String> metadata, String leaseId, long ttlSeconds,
                               String registeredAt, long createRevision, long modRevision, Long revision) {

    static InstanceResponse of(Instance instance, Long revision) {
        var spec = instance.spec();
        String registeredAt = instance.registeredAtMillis() == Instance.UNKNOWN_TIME ? null
                : Instant.ofEpochMilli(instance.registeredAtMillis()).toString();
        return new InstanceResponse(instance.service(), instance.instanceId(), spec.host(), spec.port(), spec.secure(),
                spec.zone(), spec.weight(), spec.status().name(), spec.metadata(), LeaseIds.format(instance.leaseId()),
                spec.ttlSeconds(), registeredAt, instance.createRevision(), instance.modRevision(), revision);
    }
}
