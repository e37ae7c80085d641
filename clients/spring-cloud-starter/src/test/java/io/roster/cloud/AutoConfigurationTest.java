package io.roster.cloud;

import io.roster.cloud.discovery.RosterDiscoveryClient;
import io.roster.cloud.discovery.RosterDiscoveryProperties;
import io.roster.cloud.serviceregistry.RosterRegistration;
import io.roster.cloud.serviceregistry.RosterServiceRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.LoadBalancerZoneConfig;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which beans the starter contributes for which settings, and how the settings bind. No Roster is needed. */
class AutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RosterAutoConfiguration.class,
                    io.roster.cloud.discovery.RosterDiscoveryAutoConfiguration.class,
                    io.roster.cloud.serviceregistry.RosterServiceRegistryAutoConfiguration.class,
                    SimpleDiscoveryClientAutoConfiguration.class, UtilAutoConfiguration.class,
                    AutoServiceRegistrationAutoConfiguration.class, LoadBalancerAutoConfiguration.class,
                    RefreshAutoConfiguration.class))
            // Nothing listens there: the registry watch keeps retrying quietly. A given host spares a reverse DNS lookup.
            .withPropertyValues("spring.cloud.roster.endpoints=http://127.0.0.1:9", "spring.application.name=orders",
                    "spring.cloud.roster.discovery.host=127.0.0.1");

    @Test
    void discoveryAndRegistrationComeFromRosterByDefault() {
        runner.run(context -> {
            // beside Spring Cloud's simple one, which the composite DiscoveryClient asks after Roster's
            assertThat(context.getBeansOfType(DiscoveryClient.class).values())
                    .hasAtLeastOneElementOfType(RosterDiscoveryClient.class);
            assertThat(context).getBean(ServiceRegistry.class).isInstanceOf(RosterServiceRegistry.class);
            assertThat(context.getBean(RosterRegistration.class).getServiceId()).isEqualTo("orders");
        });
    }

    @Test
    void springCloudDiscoveryDisabledIsRespected() {
        runner.withPropertyValues("spring.cloud.discovery.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(RosterDiscoveryClient.class);
            assertThat(context).doesNotHaveBean(RosterServiceRegistry.class);
            assertThat(context).doesNotHaveBean(RosterRegistration.class);
        });
    }

    @Test
    void rosterDiscoveryDisabledIsRespected() {
        runner.withPropertyValues("spring.cloud.roster.discovery.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(RosterDiscoveryClient.class);
            assertThat(context).doesNotHaveBean(RosterServiceRegistry.class);
        });
    }

    @Test
    void settingsBind() {
        runner.withPropertyValues("spring.cloud.roster.endpoints=http://a:2379, http://b:2379",
                "spring.cloud.roster.token=s3cret", "spring.cloud.roster.fail-fast=true",
                "spring.cloud.roster.discovery.service-name=billing", "spring.cloud.roster.discovery.instance-id=billing-7",
                "spring.cloud.roster.discovery.host=10.0.0.7", "spring.cloud.roster.discovery.ttl=9s",
                "spring.cloud.roster.discovery.zone=eu-1a", "spring.cloud.roster.discovery.metadata.version=2.1")
                .run(context -> {
                    RosterProperties roster = context.getBean(RosterProperties.class);
                    assertThat(roster.endpoints()).extracting(Object::toString).containsExactly("http://a:2379", "http://b:2379");
                    assertThat(roster.token()).isEqualTo("s3cret");
                    assertThat(roster.failFast()).isTrue();
                    RosterRegistration registration = context.getBean(RosterRegistration.class);
                    assertThat(registration.getServiceId()).isEqualTo("billing");
                    assertThat(registration.getInstanceId()).isEqualTo("billing-7");
                    assertThat(registration.getHost()).isEqualTo("10.0.0.7");
                    assertThat(registration.getTtl()).isEqualTo(Duration.ofSeconds(9));
                    assertThat(registration.getMetadata()).isEqualTo(Map.of("version", "2.1", "zone", "eu-1a"));
                });
    }

    @Test
    void defaultsAreThoseDocumented() {
        runner.run(context -> {
            RosterDiscoveryProperties discovery = context.getBean(RosterDiscoveryProperties.class);
            assertThat(discovery.ttl()).isEqualTo(Duration.ofSeconds(30));
            assertThat(discovery.enabled()).isTrue();
            assertThat(discovery.preferIpAddress()).isFalse();
            assertThat(context.getBean(RosterProperties.class).failFast()).isFalse();
        });
    }

    @Test
    void theDefaultInstanceIdIsServiceHostAndPortInTheCharactersRosterAllows() {
        runner.withPropertyValues("spring.cloud.roster.discovery.host=Web_Host.example").run(context -> {
            RosterRegistration registration = context.getBean(RosterRegistration.class);
            registration.initializePort(8080);
            assertThat(registration.getInstanceId()).isEqualTo("orders-web-host.example-8080");
        });
    }

    @Test
    void theInstanceZoneIsLoadBalancerZonePreferencesZoneUnlessOneIsSet() {
        runner.withPropertyValues("spring.cloud.roster.discovery.zone=eu-1a").run(context ->
                assertThat(context.getBean(LoadBalancerZoneConfig.class).getZone()).isEqualTo("eu-1a"));
        runner.withPropertyValues("spring.cloud.roster.discovery.zone=eu-1a", "spring.cloud.loadbalancer.zone=us-2")
                .run(context -> assertThat(context.getBean(LoadBalancerZoneConfig.class).getZone()).isEqualTo("us-2"));
    }
}
