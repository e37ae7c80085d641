package io.roster.cloud.serviceregistry;

import io.roster.client.InstanceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.context.ApplicationListener;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The status the application's health asks for: STARTING until the application is ready, then what its
 * actuator health says (UP without actuator). Health is not meaningful before then: liveness is BROKEN until
 * the context has refreshed, and the web server, which triggers registration, starts during the refresh.
 * <p>
 * Health is evaluated on a thread of its own, every {@code period}, and the heartbeats read the last result:
 * a slow health indicator (a database that does not answer) must not delay heartbeats until the instance
 * expires. A change is sent at once ({@code onChange}) rather than at the next heartbeat.
 */
final class InstanceHealth implements Supplier<InstanceStatus>, ApplicationListener<ApplicationReadyEvent>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(InstanceHealth.class);

    private final HealthEndpoint health;
    private final Duration period;
    private final Runnable onChange;
    private volatile InstanceStatus status = InstanceStatus.STARTING;
    private ScheduledExecutorService checks;

    /**
     * @param health   the actuator health endpoint, or null without one
     * @param onChange called after the status changed, to send it
     */
    InstanceHealth(HealthEndpoint health, Duration period, Runnable onChange) {
        this.health = health;
        this.period = period;
        this.onChange = onChange;
    }

    @Override
    public InstanceStatus get() {
        return status;
    }

    @Override
    public synchronized void onApplicationEvent(ApplicationReadyEvent event) {
        if (health == null) {
            update(InstanceStatus.UP);
            return;
        }
        if (checks == null) {
            checks = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "roster-health");
                thread.setDaemon(true);
                return thread;
            });
            checks.scheduleWithFixedDelay(this::check, 0, Math.max(1, period.toMillis()), TimeUnit.MILLISECONDS);
        }
    }

    private void check() {
        try {
            update(StatusMapping.fromHealth(health.health().getStatus()));
        } catch (RuntimeException e) {
            log.warn("The application's health could not be evaluated; its Roster status stays {}: {}", status, e.toString());
        }
    }

    private void update(InstanceStatus latest) {
        if (latest != status) {
            status = latest;
            onChange.run();
        }
    }

    @Override
    public synchronized void destroy() {
        if (checks != null) {
            checks.shutdownNow();
        }
    }
}
