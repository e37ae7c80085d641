package io.roster.registry;

import io.roster.store.KeyEvent;

/**
 * A change to one instance, as watchers see it. {@code instance} is the new state for a PUT and null for
 * a DELETE.
 */
public record RegistryEvent(Type type, String service, String instanceId, Instance instance, long revision, Reason reason) {

    public enum Type { PUT, DELETE }

    public enum Reason { REGISTERED, UPDATED, DEREGISTERED, EXPIRED }

    /** The registry's reading of a key event, or null when the key is not an instance. */
    public static RegistryEvent of(KeyEvent event) {
        String key = event.kv().key();
        String service = RegistryKeys.serviceOf(key);
        if (service == null) {
            return null;
        }
        String instanceId = RegistryKeys.instanceIdOf(key);
        if (event.type() == KeyEvent.Type.PUT) {
            Reason reason = event.previous() == null ? Reason.REGISTERED : Reason.UPDATED;
            return new RegistryEvent(Type.PUT, service, instanceId, InstanceCodec.decode(event.kv()), event.revision(), reason);
        }
        Reason reason = event.cause() == KeyEvent.Cause.LEASE_EXPIRED ? Reason.EXPIRED : Reason.DEREGISTERED;
        return new RegistryEvent(Type.DELETE, service, instanceId, null, event.revision(), reason);
    }
}
