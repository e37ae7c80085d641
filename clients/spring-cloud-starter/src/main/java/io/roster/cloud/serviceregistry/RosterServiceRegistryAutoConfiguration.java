package io.roster.cloud.serviceregistry;

import io.roster.client.RosterClient;
import io.roster.cloud.RosterAutoConfiguration;
import io.roster.cloud.RosterProperties;
import io.roster.cloud.discovery.ConditionalOnRosterDiscoveryEnabled;
import io.roster.cloud.discovery.RosterDiscoveryProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationProperties;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Registers the application in Roster when its web server starts, keeps it registered, and deregisters it
 * on shutdown. All heartbeats of the application share one scheduler thread.
 */
@AutoConfiguration(after = {RosterAutoConfiguration.class, AutoServiceRegistrationAutoConfiguration.class,
        UtilAutoConfiguration.class})
@ConditionalOnRosterDiscoveryEnabled
@ConditionalOnProperty(value = "spring.cloud.service-registry.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RosterDiscoveryProperties.class)
public class RosterServiceRegistryAutoConfiguration {

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService rosterHeartbeatScheduler() {
        return Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "roster-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    @ConditionalOnMissingBean
    RosterServiceRegistry rosterServiceRegistry(RosterClient client, ScheduledExecutorService rosterHeartbeatScheduler,
                                                RosterProperties properties) {
        return new RosterServiceRegistry(client, rosterHeartbeatScheduler, properties.endpoints(), properties.failFast());
    }

    @Bean
    InstanceHealth rosterInstanceHealth(RosterServiceRegistry registry, ObjectProvider<HealthEndpoint> health,
                                        RosterDiscoveryProperties discovery) {
        InstanceHealth instanceHealth = new InstanceHealth(health.getIfAvailable(), discovery.ttl().dividedBy(3),
                registry::updateStatuses);
        registry.followHealth(instanceHealth);
        return instanceHealth;
    }

    @Bean
    @ConditionalOnMissingBean
    RosterRegistration rosterRegistration(RosterDiscoveryProperties discovery, InetUtils network, Environment environment) {
        return RegistrationFactory.create(discovery, network, environment);
    }

    @Bean
    @ConditionalOnBean(AutoServiceRegistrationProperties.class)
    @ConditionalOnProperty(value = "spring.cloud.service-registry.auto-registration.enabled", matchIfMissing = true)
    @ConditionalOnMissingBean
    RosterAutoServiceRegistration rosterAutoServiceRegistration(ApplicationContext context, RosterServiceRegistry registry,
                                                                AutoServiceRegistrationProperties properties,
                                                                RosterRegistration registration) {
        return new RosterAutoServiceRegistration(context, registry, properties, registration);
    }
}
