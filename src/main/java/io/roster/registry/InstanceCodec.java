package io.roster.registry;

import io.roster.store.KeyValue;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;
import java.util.TreeMap;

/**
 * The stored form of an instance: compact JSON, readable by anyone who lists the reserved prefix through
 * the key-value API. Service and instance id live in the key, the TTL in the lease.
 */
final class InstanceCodec {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private InstanceCodec() {
    }

    /**
     * @param registeredAt epoch milliseconds on the clock of the member that took the registration; absent in
     *                     instances stored before it was recorded (members that do not know it ignore it)
     */
    record Stored(String host, int port, boolean secure, long ttlSeconds, String zone, int weight, String status,
                  Map<String, String> metadata, Long registeredAt) {
    }

    static byte[] encode(InstanceSpec spec, long registeredAtMillis) {
        return JSON.writeValueAsBytes(new Stored(spec.host(), spec.port(), spec.secure(), spec.ttlSeconds(), spec.zone(),
                spec.weight(), spec.status().name(), new TreeMap<>(spec.metadata()),
                registeredAtMillis == Instance.UNKNOWN_TIME ? null : registeredAtMillis));
    }

    static Instance decode(KeyValue kv) {
        Stored stored = JSON.readValue(kv.value(), Stored.class);
        InstanceSpec spec = new InstanceSpec(stored.host(), stored.port(), stored.secure(), stored.ttlSeconds(), stored.zone(),
                stored.weight(), InstanceStatus.valueOf(stored.status()), stored.metadata() == null ? Map.of() : stored.metadata());
        return new Instance(RegistryKeys.serviceOf(kv.key()), RegistryKeys.instanceIdOf(kv.key()), spec, kv.lease(),
                kv.createRevision(), kv.modRevision(), stored.registeredAt() == null ? Instance.UNKNOWN_TIME : stored.registeredAt());
    }
}
