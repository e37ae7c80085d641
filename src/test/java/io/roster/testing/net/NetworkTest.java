package io.roster.testing.net;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NetworkTest {

    private final Network network = Network.of("n1", "n2", "n3", "client");

    @Test
    void rulesHoldPerDirection() {
        network.drop("n1", "n2");

        assertThat(network.faultOf("n1", "n2")).contains(Fault.DROP);
        assertThat(network.faultOf("n2", "n1")).isEmpty();
    }

    @Test
    void isolateCutsBothDirectionsToEveryoneElse() {
        network.isolate("n1");

        for (String other : Set.of("n2", "n3", "client")) {
            assertThat(network.faultOf("n1", other)).contains(Fault.CUT);
            assertThat(network.faultOf(other, "n1")).contains(Fault.CUT);
        }
        assertThat(network.faultOf("n2", "n3")).isEmpty();
    }

    @Test
    void partitionAppliesItsFaultBothWaysBetweenTheSidesOnly() {
        network.partition(Set.of("n1"), Set.of("n2", "n3"), Fault.DROP);

        assertThat(network.faultOf("n3", "n1")).contains(Fault.DROP);
        assertThat(network.faultOf("n1", "n2")).contains(Fault.DROP);
        assertThat(network.faultOf("n2", "n3")).isEmpty();
        assertThat(network.faultOf("client", "n1")).isEmpty();
    }

    @Test
    void oneWayCutCountsForBothEndsOfAConnection() {
        network.cut("n2", "n1");

        assertThat(network.isCutEitherWay("n1", "n2")).isTrue();
        assertThat(network.isCutEitherWay("n1", "n3")).isFalse();
    }

    @Test
    void healRemovesOneDirectionAndHealAllEverything() {
        network.isolate("n1");
        network.heal("n1", "n2");
        assertThat(network.faultOf("n1", "n2")).isEmpty();
        assertThat(network.faultOf("n2", "n1")).contains(Fault.CUT);

        network.healAll();
        assertThat(network.toString()).isEqualTo("Network[n1, n2, n3, client] {healthy}");
    }

    @Test
    void describesItsRulesForLogs() {
        network.delay("n1", "n2", Duration.ofMillis(250));
        network.cut("client", "n3");

        assertThat(network).hasToString("Network[n1, n2, n3, client] {client->n3 cut, n1->n2 delay 250ms}");
    }

    @Test
    void refusesNamesItDoesNotKnowButUnknown() {
        assertThatThrownBy(() -> network.cut("n4", "n1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> network.cut("n1", "n1")).isInstanceOf(IllegalArgumentException.class);
        network.drop(SourceResolver.UNKNOWN, "n1");
        assertThat(network.faultOf(SourceResolver.UNKNOWN, "n1")).isEqualTo(Optional.of(Fault.DROP));
    }

    @Test
    void tellsListenersOfEveryChange() {
        AtomicInteger changes = new AtomicInteger();
        Runnable listener = changes::incrementAndGet;
        network.addChangeListener(listener);

        network.cut("n1", "n2");
        network.partition(Set.of("n1"), Set.of("n3"));
        network.healAll();
        network.removeChangeListener(listener);
        network.isolate("n2");

        assertThat(changes).hasValue(3);
    }
}
