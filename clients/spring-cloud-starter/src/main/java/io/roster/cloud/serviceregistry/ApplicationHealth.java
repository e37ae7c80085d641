package io.roster.cloud.serviceregistry;

import io.roster.client.InstanceStatus;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;

import java.util.function.Supplier;

/** The instance status the application's actuator health asks for, read at each heartbeat. */
final class ApplicationHealth implements Supplier<InstanceStatus> {

    private final HealthEndpoint health;

    ApplicationHealth(HealthEndpoint health) {
        this.health = health;
    }

    @Override
    public InstanceStatus get() {
        return StatusMapping.fromHealth(health.health().getStatus());
    }
}
