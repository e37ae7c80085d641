package io.roster.api.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.roster.lease.LeaseIds;
import io.roster.registry.Instance;

import java.util.Map;

/**
 * One instance on the wire. {@code revision} is the store revision the answer reflects; it is present on
 * answers to writes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InstanceResponse(String service, String instanceId, String host, int port, boolean secure, String zone,
                               int weight, String status, Map<String, String> metadata, String leaseId, long ttlSeconds,
                               long createRevision, long modRevision, Long revision) {

    static InstanceResponse of(Instance instance, Long revision) {
        var spec = instance.spec();
        return new InstanceResponse(instance.service(), instance.instanceId(), spec.host(), spec.port(), spec.secure(),
                spec.zone(), spec.weight(), spec.status().name(), spec.metadata(), LeaseIds.format(instance.leaseId()),
                spec.ttlSeconds(), instance.createRevision(), instance.modRevision(), revision);
    }
}
