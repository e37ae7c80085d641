package io.roster.cloud.serviceregistry;

import io.roster.client.ClusterUnavailableException;
import io.roster.client.InstancePatch;
import io.roster.client.InstanceSpec;
import io.roster.client.InstanceStatus;
import io.roster.client.NotFoundException;
import io.roster.client.RosterClient;
import io.roster.client.RosterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps one registration alive: heartbeats every TTL/3 on the shared scheduler, registers again when Roster
 * no longer knows the instance (a heartbeat's 404: it expired, or Roster lost it), and keeps the registered
 * status equal to the wanted one (an operator's {@link #override}, else the application's health).
 * <p>
 * Every Roster call of a registration runs on the scheduler's thread except the first registration and the
 * final deregistration, so the state here needs no lock beyond the volatile fields read by other threads.
 * An outage is logged once when it starts and once when it ends, never per heartbeat.
 */
final class RegistrationKeeper {

    private static final Logger log = LoggerFactory.getLogger(RegistrationKeeper.class);

    private final RosterClient client;
    private final RosterRegistration registration;
    private final ScheduledExecutorService scheduler;
    private final Supplier<InstanceStatus> health;
    private volatile InstanceStatus override;
    private volatile InstanceStatus registeredStatus;
    private volatile boolean registered;
    private boolean outage;
    private boolean stopped;
    private ScheduledFuture<?> heartbeats;

    RegistrationKeeper(RosterClient client, RosterRegistration registration, ScheduledExecutorService scheduler,
                       Supplier<InstanceStatus> health) {
        this.client = client;
        this.registration = registration;
        this.scheduler = scheduler;
        this.health = health;
    }

    /**
     * Registers now and starts heartbeating.
     *
     * @throws ClusterUnavailableException when no member answered; the keeper retries on every tick anyway,
     *                                     so the caller decides whether that is fatal
     */
    synchronized void start() {
        long period = Math.max(1, registration.getTtl().toMillis() / 3);
        heartbeats = scheduler.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
        try {
            register(wantedStatus());
        } catch (ClusterUnavailableException e) {
            outage = true; // the caller reports it; the ticks only report the recovery
            throw e;
        }
    }

    /** Stops heartbeating and deregisters, so that callers stop seeing the instance at once. */
    synchronized void stop() {
        stopped = true; // a tick already waiting for this lock must not register the instance again
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
        if (registered) {
            registered = false;
            try {
                client.deregister(registration.getServiceId(), registration.getInstanceId());
            } catch (NotFoundException alreadyGone) {
                // expired or removed meanwhile: the outcome wanted
            } catch (RosterException e) {
                log.warn("Could not deregister {} from Roster ({}); it expires after its TTL of {}s", registration,
                        e.getMessage(), registration.getTtl().toSeconds());
            }
        }
    }

    /** Sets the status regardless of health until it is set again; UP hands the status back to health. */
    void override(InstanceStatus status) {
        override = status == InstanceStatus.UP ? null : status;
        scheduler.execute(this::tick);
    }

    /** The status the instance has in Roster, or null before its first registration. */
    InstanceStatus registeredStatus() {
        return registeredStatus;
    }

    boolean isRegistered() {
        return registered;
    }

    /** One heartbeat, or a registration when Roster does not know the instance; then the status, if it changed. */
    synchronized void tick() {
        if (stopped) {
            return;
        }
        InstanceStatus wanted = wantedStatus();
        try {
            if (!registered) {
                register(wanted);
                return;
            }
            try {
                client.heartbeat(registration.getServiceId(), registration.getInstanceId());
            } catch (NotFoundException expired) {
                log.info("Roster no longer knew {} (it expired or was removed); registering it again", registration);
                register(wanted);
                return;
            }
            if (wanted != registeredStatus) {
                client.patch(registration.getServiceId(), registration.getInstanceId(), InstancePatch.status(wanted));
                registeredStatus = wanted;
            }
            recovered();
        } catch (ClusterUnavailableException e) {
            if (!outage) {
                outage = true;
                log.warn("Roster unreachable, {} keeps trying every {} ms: {}", registration,
                        Math.max(1, registration.getTtl().toMillis() / 3), e.getMessage());
            }
        } catch (RuntimeException e) {
            log.warn("Heartbeat of {} failed: {}", registration, e.getMessage());
        }
    }

    private void register(InstanceStatus status) {
        client.register(registration.getServiceId(), registration.getInstanceId(), spec(status));
        registeredStatus = status;
        registered = true;
        recovered();
    }

    private void recovered() {
        if (outage) {
            outage = false;
            log.info("Roster answers again; {} is registered", registration);
        }
    }

    private InstanceStatus wantedStatus() {
        InstanceStatus forced = override;
        return forced != null ? forced : health.get();
    }

    private InstanceSpec spec(InstanceStatus status) {
        return InstanceSpec.of(registration.getHost(), registration.getPort())
                .withSecure(registration.isSecure())
                .withTtlSeconds(Math.max(1, registration.getTtl().toSeconds()))
                .withZone(registration.getZone())
                .withStatus(status)
                .withMetadata(registration.getRegisteredMetadata());
    }
}
