package io.roster.cloud;

import io.roster.cloud.discovery.InstanceCache;
import io.roster.cloud.serviceregistry.RosterServiceRegistry;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import java.util.Map;

/**
 * What the application holds in Roster, from memory: its registrations and their status, and the registry
 * revision its cache reflects. UP while every registration is registered; UNKNOWN while one is not (Roster
 * has not answered it), which leaves the application's own status alone.
 * <p>
 * It makes no call to Roster on purpose: the registration's status follows the application's health at each
 * heartbeat, on the heartbeat thread, and a network call there would delay heartbeats whenever a member is
 * slow, and make the application DOWN for Roster's troubles.
 */
class RosterHealthIndicator extends AbstractHealthIndicator {

    private final RosterProperties connection;
    private final RosterServiceRegistry registry;
    private final InstanceCache cache;

    /**
     * @param registry null without registration
     * @param cache    null without discovery
     */
    RosterHealthIndicator(RosterProperties connection, RosterServiceRegistry registry, InstanceCache cache) {
        super("Roster health check failed");
        this.connection = connection;
        this.registry = registry;
        this.cache = cache;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.up().withDetail("endpoints", connection.endpoints());
        if (registry != null) {
            Map<String, String> registrations = registry.registrations();
            builder.withDetail("registrations", registrations);
            if (registrations.containsValue("NOT REGISTERED")) {
                builder.unknown();
            }
        }
        if (cache != null) {
            builder.withDetail("registryRevision", cache.revision()).withDetail("services", cache.serviceNames().size());
        }
    }
}
