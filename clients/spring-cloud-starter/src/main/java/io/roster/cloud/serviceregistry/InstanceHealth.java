package io.roster.cloud.serviceregistry;

import io.roster.client.InstanceStatus;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.context.ApplicationListener;

import java.util.function.Supplier;

/**
 * The status the application's health asks for: STARTING until the application is ready, then what its
 * actuator health says (UP without actuator). Health is not meaningful before then: liveness is BROKEN until
 * the context has refreshed, and the web server, which triggers registration, starts during the refresh.
 * When the application becomes ready, every registration's status is updated at once rather than at the next
 * heartbeat.
 */
final class InstanceHealth implements Supplier<InstanceStatus>, ApplicationListener<ApplicationReadyEvent> {

    private final HealthEndpoint health;
    private final Runnable onReady;
    private volatile boolean ready;

    /**
     * @param health  the actuator health endpoint, or null without one
     * @param onReady called once the application is ready, to send the new status
     */
    InstanceHealth(HealthEndpoint health, Runnable onReady) {
        this.health = health;
        this.onReady = onReady;
    }

    @Override
    public InstanceStatus get() {
        if (!ready) {
            return InstanceStatus.STARTING;
        }
        return health == null ? InstanceStatus.UP : StatusMapping.fromHealth(health.health().getStatus());
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        ready = true;
        onReady.run();
    }
}
