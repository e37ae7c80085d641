package io.roster.cloud;

import io.roster.client.Instance;
import io.roster.client.InstanceSpec;
import io.roster.client.InstanceStatus;
import io.roster.client.RosterClient;
import io.roster.client.Consistency;
import io.roster.cloud.serviceregistry.RosterRegistration;
import io.roster.cloud.serviceregistry.RosterServiceRegistry;
import io.roster.testkit.RosterCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.cloud.context.config.annotation.RefreshScope;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The starter in a real web application against a real three-member Roster cluster. */
class StarterAgainstClusterIT {

    private static RosterCluster cluster;
    private static RosterClient roster;
    private static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() {
        cluster = RosterCluster.builder().members(3).start();
        roster = RosterClient.builder().endpoints(cluster.endpoints()).build();
        roster.put("config/shop/shop.currency", "USD");
        app = SpringApplication.run(ShopApplication.class, "--server.port=0", "--spring.application.name=shop",
                "--spring.config.import=roster:", "--spring.cloud.roster.endpoints=" + String.join(",", cluster.endpoints()),
                "--spring.cloud.roster.discovery.host=127.0.0.1", "--spring.cloud.roster.discovery.ttl=3s",
                "--spring.cloud.roster.discovery.zone=eu-1a",
                "--spring.cloud.loadbalancer.configurations=zone-preference");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (roster != null) {
            roster.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theApplicationRegistersWithItsRealPortAndZoneAndIsUpOnceReady() {
        int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(registration().getInstanceId()) == InstanceStatus.UP);
        Instance registered = roster.instance("shop", registration().getInstanceId(), Consistency.LINEARIZABLE);
        assertThat(registered.port()).isEqualTo(port);
        assertThat(registered.zone()).isEqualTo("eu-1a");
        assertThat(registered.ttlSeconds()).isEqualTo(3);
    }

    @Test
    void anInstanceRosterNoLongerKnowsRegistersAgainAtItsNextHeartbeat() {
        String id = registration().getInstanceId();
        await().atMost(Duration.ofSeconds(10)).until(() -> status(id) == InstanceStatus.UP);

        long deregistered = roster.deregister("shop", id); // as if it had expired: the next heartbeat is answered 404

        await().atMost(Duration.ofSeconds(3)).until(() -> status(id) == InstanceStatus.UP);
        assertThat(roster.instance("shop", id, Consistency.LINEARIZABLE).createRevision()).isGreaterThan(deregistered);
    }

    @Test
    void aRegistryChangeReachesTheCacheAsAHeartbeatEvent() {
        HeartbeatEvents events = app.getBean(HeartbeatEvents.class);
        long revision = roster.register("inventory", "inventory-1", InstanceSpec.of("10.0.0.1", 8080)).revision();
        try {
            await().atMost(Duration.ofSeconds(1)).until(() -> ids(discovery().getInstances("inventory")).equals(List.of("inventory-1")));
            assertThat(events.revisions).anySatisfy(seen -> assertThat(seen).isGreaterThanOrEqualTo(revision));
        } finally {
            roster.deregister("inventory", "inventory-1");
        }
        await().atMost(Duration.ofSeconds(1)).until(() -> discovery().getInstances("inventory").isEmpty());
    }

    @Test
    void setStatusTakesTheInstanceOutOfServiceAndUpGivesItBackToHealth() {
        RosterServiceRegistry registry = app.getBean(RosterServiceRegistry.class);
        String id = registration().getInstanceId();
        await().atMost(Duration.ofSeconds(10)).until(() -> status(id) == InstanceStatus.UP);

        registry.setStatus(registration(), "OUT_OF_SERVICE");
        await().atMost(Duration.ofSeconds(2)).until(() -> status(id) == InstanceStatus.OUT_OF_SERVICE
                && !ids(discovery().getInstances("shop")).contains(id));
        assertThat((String) registry.getStatus(registration())).isEqualTo("OUT_OF_SERVICE");

        registry.setStatus(registration(), "UP");
        await().atMost(Duration.ofSeconds(2)).until(() -> status(id) == InstanceStatus.UP
                && ids(discovery().getInstances("shop")).contains(id));
    }

    @Test
    void theInstanceIsDownWhileTheApplicationsHealthIsDown() {
        Switch health = app.getBean(Switch.class);
        String id = registration().getInstanceId();
        await().atMost(Duration.ofSeconds(10)).until(() -> status(id) == InstanceStatus.UP);
        try {
            health.down = true;
            await().atMost(Duration.ofSeconds(3)).until(() -> status(id) == InstanceStatus.DOWN);
        } finally {
            health.down = false;
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> status(id) == InstanceStatus.UP);
    }

    @Test
    void aKeyPutReachesConfigurationPropertiesAndRefreshScopeWithinASecond() {
        assertThat(app.getBean(ShopProperties.class).getCurrency()).isEqualTo("USD");

        roster.put("config/shop/shop.currency", "EUR");
        roster.put("config/shop/greeting", "hej");

        await().atMost(Duration.ofSeconds(1)).until(() -> "EUR".equals(app.getBean(ShopProperties.class).getCurrency())
                && "hej".equals(app.getBean(Greeting.class).text()));
    }

    @Test
    void theLoadBalancerPrefersInstancesOfTheApplicationsZone() {
        roster.register("payments", "pay-eu", InstanceSpec.of("10.0.0.2", 8080).withZone("eu-1a"));
        roster.register("payments", "pay-us", InstanceSpec.of("10.0.0.3", 8080).withZone("us-2"));
        try {
            await().atMost(Duration.ofSeconds(1)).until(() -> discovery().getInstances("payments").size() == 2);
            LoadBalancerClient loadBalancer = app.getBean(LoadBalancerClient.class);
            assertThat(IntStream.range(0, 10).mapToObj(i -> loadBalancer.choose("payments").getInstanceId()))
                    .containsOnly("pay-eu");
        } finally {
            roster.deregister("payments", "pay-eu");
            roster.deregister("payments", "pay-us");
        }
    }

    private static RosterRegistration registration() {
        return app.getBean(RosterRegistration.class);
    }

    private static DiscoveryClient discovery() {
        return app.getBean(DiscoveryClient.class);
    }

    private static InstanceStatus status(String instanceId) {
        return roster.lookup("shop", io.roster.client.LookupQuery.all()).instances().stream()
                .filter(instance -> instance.instanceId().equals(instanceId)).map(Instance::status).findFirst().orElse(null);
    }

    private static List<String> ids(List<ServiceInstance> instances) {
        return instances.stream().map(ServiceInstance::getInstanceId).toList();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableConfigurationProperties(ShopProperties.class)
    static class ShopApplication {

        @Bean
        @RefreshScope
        Greeting greeting(@Value("${greeting:none}") String text) {
            return new Greeting(text);
        }

        @Bean
        Switch switchableHealth() {
            return new Switch();
        }

        @Bean
        HeartbeatEvents heartbeatEvents() {
            return new HeartbeatEvents();
        }
    }

    /** A JavaBean, so that Spring Cloud rebinds it in place on a change. */
    @ConfigurationProperties("shop")
    static class ShopProperties {
        private String currency;

        public String getCurrency() {
            return currency;
        }

        public void setCurrency(String currency) {
            this.currency = currency;
        }
    }

    /** Rebuilt on a refresh; a class (not a record) so that the refresh scope can proxy it. */
    static class Greeting {
        private final String text;

        Greeting(String text) {
            this.text = text;
        }

        String text() {
            return text;
        }
    }

    /** A health indicator the test turns DOWN. */
    static class Switch implements HealthIndicator {
        volatile boolean down;

        @Override
        public Health health() {
            return down ? Health.down().build() : Health.up().build();
        }
    }

    static class HeartbeatEvents implements ApplicationListener<HeartbeatEvent> {
        final List<Long> revisions = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(HeartbeatEvent event) {
            revisions.add((Long) event.getValue());
        }
    }
}
