package io.roster.client;

/**
 * One change to a watched service's instances.
 *
 * @param instance the instance as it is now on PUT, null on DELETE
 * @param reason   {@code registered}, {@code updated}, {@code deregistered} or {@code expired}
 */
public record RegistryEvent(EventType type, String service, String instanceId, Instance instance, long revision,
                            String reason) {
}
