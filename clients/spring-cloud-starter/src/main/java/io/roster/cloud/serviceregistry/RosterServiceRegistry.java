package io.roster.cloud.serviceregistry;

import io.roster.client.ClusterUnavailableException;
import io.roster.client.InstanceStatus;
import io.roster.client.RosterClient;
import io.roster.cloud.RosterUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Registers instances in Roster and keeps each alive with a {@link RegistrationKeeper}, all on one shared
 * scheduler. When no member answers a registration, {@code fail-fast} decides: stop the application with
 * {@link RosterUnavailableException}, or log one line and let the keeper register once a member answers.
 */
public class RosterServiceRegistry implements ServiceRegistry<RosterRegistration> {

    private static final Logger log = LoggerFactory.getLogger(RosterServiceRegistry.class);

    private final RosterClient client;
    private final ScheduledExecutorService heartbeatScheduler;
    private volatile Supplier<InstanceStatus> health = () -> InstanceStatus.UP;
    private final List<URI> endpoints;
    private final boolean failFast;
    private final Map<String, RegistrationKeeper> keepers = new ConcurrentHashMap<>();

    public RosterServiceRegistry(RosterClient client, ScheduledExecutorService heartbeatScheduler, List<URI> endpoints,
                                 boolean failFast) {
        this.client = client;
        this.heartbeatScheduler = heartbeatScheduler;
        this.endpoints = endpoints;
        this.failFast = failFast;
    }

    @Override
    public void register(RosterRegistration registration) {
        RegistrationKeeper keeper = new RegistrationKeeper(client, registration, heartbeatScheduler, () -> health.get());
        RegistrationKeeper previous = keepers.put(key(registration), keeper);
        if (previous != null) {
            previous.stop();
        }
        try {
            keeper.start();
            log.info("Registered {} in Roster (TTL {}s)", registration, registration.getTtl().toSeconds());
        } catch (ClusterUnavailableException e) {
            if (failFast) {
                keepers.remove(key(registration), keeper);
                keeper.stop();
                throw new RosterUnavailableException("registering " + registration, endpoints, e);
            }
            log.warn("Roster unreachable: no member of {} answered; {} registers as soon as one does"
                    + " (spring.cloud.roster.fail-fast=false)", endpoints, registration);
        }
    }

    /** Where registrations take their status from, unless overridden; UP until set. */
    public void followHealth(Supplier<InstanceStatus> health) {
        this.health = health;
    }

    /** Sends each registration's status now, if it changed, rather than at its next heartbeat. */
    public void updateStatuses() {
        keepers.values().forEach(keeper -> heartbeatScheduler.execute(keeper::tick));
    }

    @Override
    public void deregister(RosterRegistration registration) {
        RegistrationKeeper keeper = keepers.remove(key(registration));
        if (keeper != null) {
            keeper.stop();
            log.info("Deregistered {} from Roster", registration);
        }
    }

    @Override
    public void close() {
        keepers.values().forEach(RegistrationKeeper::stop);
        keepers.clear();
    }

    /** UP, DOWN, STARTING or OUT_OF_SERVICE, in any case; UP gives the status back to the application's health. */
    @Override
    public void setStatus(RosterRegistration registration, String status) {
        RegistrationKeeper keeper = keepers.get(key(registration));
        if (keeper == null) {
            throw new IllegalStateException(registration + " is not registered");
        }
        keeper.override(StatusMapping.fromSpringCloud(status));
    }

    /** The status the instance has in Roster: UP, DOWN, STARTING or OUT_OF_SERVICE; null when not registered. */
    @Override
    @SuppressWarnings("unchecked")
    public <T> T getStatus(RosterRegistration registration) {
        RegistrationKeeper keeper = keepers.get(key(registration));
        InstanceStatus status = keeper == null ? null : keeper.registeredStatus();
        return (T) (status == null ? null : status.name());
    }

    /** Whether Roster holds the registration now (false while Roster is unreachable and it was never registered). */
    public boolean isRegistered(RosterRegistration registration) {
        RegistrationKeeper keeper = keepers.get(key(registration));
        return keeper != null && keeper.isRegistered();
    }

    /**
     * Each registration (service/instance id) with its status in Roster, or "NOT REGISTERED" while Roster has
     * not answered it.
     */
    public Map<String, String> registrations() {
        Map<String, String> statuses = new java.util.TreeMap<>();
        keepers.forEach((key, keeper) -> statuses.put(key, keeper.isRegistered() && keeper.registeredStatus() != null
                ? keeper.registeredStatus().name() : "NOT REGISTERED"));
        return statuses;
    }

    private static String key(RosterRegistration registration) {
        return registration.getServiceId() + "/" + registration.getInstanceId();
    }
}
