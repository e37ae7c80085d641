package io.roster.cloud.discovery;

import io.roster.client.RosterClient;
import io.roster.cloud.RosterAutoConfiguration;
import io.roster.cloud.RosterProperties;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.CommonsClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.loadbalancer.cache.LoadBalancerCacheManager;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/** Lookups from an {@link InstanceCache} that one registry watch keeps current. */
@AutoConfiguration(after = RosterAutoConfiguration.class,
        before = {SimpleDiscoveryClientAutoConfiguration.class, CommonsClientAutoConfiguration.class})
@ConditionalOnRosterDiscoveryEnabled
@EnableConfigurationProperties(RosterDiscoveryProperties.class)
public class RosterDiscoveryAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    InstanceCache rosterInstanceCache(ApplicationEventPublisher events) {
        return new InstanceCache(events);
    }

    @Bean
    @ConditionalOnMissingBean
    RegistryWatch rosterRegistryWatch(RosterClient client, RosterProperties connection, InstanceCache cache) {
        return new RegistryWatch(client, connection, cache);
    }

    @Bean
    @ConditionalOnProperty(value = "spring.cloud.discovery.blocking.enabled", matchIfMissing = true)
    @ConditionalOnMissingBean
    RosterDiscoveryClient rosterDiscoveryClient(InstanceCache cache) {
        return new RosterDiscoveryClient(cache);
    }

    @Bean
    @ConditionalOnClass(LoadBalancerCacheManager.class)
    LoadBalancerCacheEviction rosterLoadBalancerCacheEviction(ListableBeanFactory beans) {
        return new LoadBalancerCacheEviction(beans);
    }

    @Bean
    @ConditionalOnProperty(RosterDiscoveryProperties.PREFIX + ".zone")
    @ConditionalOnClass(name = "org.springframework.cloud.loadbalancer.config.LoadBalancerZoneConfig")
    static ZoneFromRegistration rosterZoneFromRegistration(Environment environment) {
        return new ZoneFromRegistration(environment.getProperty(RosterDiscoveryProperties.PREFIX + ".zone"));
    }
}
