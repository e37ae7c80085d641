package io.roster.cloud.serviceregistry;

import io.roster.client.InstanceStatus;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StatusMappingTest {

    @Test
    void springCloudStatusNamesMapInAnyCase() {
        assertThat(StatusMapping.fromSpringCloud("UP")).isEqualTo(InstanceStatus.UP);
        assertThat(StatusMapping.fromSpringCloud("down")).isEqualTo(InstanceStatus.DOWN);
        assertThat(StatusMapping.fromSpringCloud("out-of-service")).isEqualTo(InstanceStatus.OUT_OF_SERVICE);
        assertThat(StatusMapping.fromSpringCloud(" Starting ")).isEqualTo(InstanceStatus.STARTING);
    }

    @Test
    void aStatusRosterDoesNotKnowIsRefusedWithTheChoices() {
        assertThatIllegalArgumentException().isThrownBy(() -> StatusMapping.fromSpringCloud("UNKNOWN"))
                .withMessage("status must be one of [UP, DOWN, STARTING, OUT_OF_SERVICE], not 'UNKNOWN'");
    }

    @Test
    void healthDecidesWhetherTheInstanceTakesTraffic() {
        assertThat(StatusMapping.fromHealth(Status.UP)).isEqualTo(InstanceStatus.UP);
        assertThat(StatusMapping.fromHealth(Status.UNKNOWN)).isEqualTo(InstanceStatus.UP);
        assertThat(StatusMapping.fromHealth(Status.DOWN)).isEqualTo(InstanceStatus.DOWN);
        assertThat(StatusMapping.fromHealth(Status.OUT_OF_SERVICE)).isEqualTo(InstanceStatus.OUT_OF_SERVICE);
        assertThat(StatusMapping.fromHealth(new Status("DEGRADED"))).isEqualTo(InstanceStatus.DOWN);
    }
}
