package io.roster.registry;

/**
 * A registered instance as the registry holds it: its spec, the lease that keeps it alive, and the
 * revisions at which it was created and last changed.
 */
public record Instance(String service, String instanceId, InstanceSpec spec, long leaseId, long createRevision,
                       long modRevision) {
}
