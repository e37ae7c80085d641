package io.roster.registry;

/**
 * A registered instance as the registry holds it: its spec, the lease that keeps it alive, the revisions at
 * which it was created and last changed, and when it was registered ({@link #UNKNOWN_TIME} for instances
 * stored before that was recorded).
 */
public record Instance(String service, String instanceId, InstanceSpec spec, long leaseId, long createRevision,
                       long modRevision, long registeredAtMillis) {

    public static final long UNKNOWN_TIME = -1;
}
