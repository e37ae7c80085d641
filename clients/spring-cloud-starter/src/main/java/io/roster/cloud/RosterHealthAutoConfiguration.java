package io.roster.cloud;

import io.roster.cloud.discovery.InstanceCache;
import io.roster.cloud.discovery.RosterDiscoveryAutoConfiguration;
import io.roster.cloud.serviceregistry.RosterServiceRegistry;
import io.roster.cloud.serviceregistry.RosterServiceRegistryAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/** The "roster" health indicator (management.health.roster.enabled). */
@AutoConfiguration(after = {RosterAutoConfiguration.class, RosterDiscoveryAutoConfiguration.class,
        RosterServiceRegistryAutoConfiguration.class})
@ConditionalOnEnabledHealthIndicator("roster")
public class RosterHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RosterHealthIndicator rosterHealthIndicator(RosterProperties connection, ObjectProvider<RosterServiceRegistry> registry,
                                                ObjectProvider<InstanceCache> cache) {
        return new RosterHealthIndicator(connection, registry.getIfAvailable(), cache.getIfAvailable());
    }
}
