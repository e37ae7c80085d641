package io.roster.cloud.serviceregistry;

import io.roster.client.InstanceStatus;
import org.springframework.boot.health.contributor.Status;

import java.util.Arrays;
import java.util.Locale;

/** Roster's instance statuses, from Spring Cloud's status names and from the application's health. */
final class StatusMapping {

    private StatusMapping() {
    }

    /**
     * The status {@code ServiceRegistry.setStatus} (and the serviceregistry actuator endpoint) asks for, in any
     * case: UP, DOWN, STARTING or OUT_OF_SERVICE.
     */
    static InstanceStatus fromSpringCloud(String status) {
        String name = status == null ? "" : status.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return InstanceStatus.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("status must be one of " + Arrays.toString(InstanceStatus.values())
                    + ", not '" + status + "'");
        }
    }

    /**
     * The status the application's health puts the instance in. UNKNOWN (no indicator says otherwise) is UP;
     * OUT_OF_SERVICE stays itself; DOWN and any custom status are DOWN, so that no traffic goes to it.
     */
    static InstanceStatus fromHealth(Status health) {
        if (Status.UP.equals(health) || Status.UNKNOWN.equals(health)) {
            return InstanceStatus.UP;
        }
        if (Status.OUT_OF_SERVICE.equals(health)) {
            return InstanceStatus.OUT_OF_SERVICE;
        }
        return InstanceStatus.DOWN;
    }
}
