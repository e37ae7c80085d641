package io.roster.cloud.discovery;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.ConditionalOnReactiveDiscoveryEnabled;
import org.springframework.cloud.client.ReactiveCommonsClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Flux;

/** The reactive DiscoveryClient, answering from the same {@link InstanceCache}. */
@AutoConfiguration(after = RosterDiscoveryAutoConfiguration.class,
        before = {SimpleReactiveDiscoveryClientAutoConfiguration.class, ReactiveCommonsClientAutoConfiguration.class})
@ConditionalOnRosterDiscoveryEnabled
@ConditionalOnReactiveDiscoveryEnabled
@ConditionalOnClass(Flux.class)
@ConditionalOnBean(InstanceCache.class)
public class RosterReactiveDiscoveryAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RosterReactiveDiscoveryClient rosterReactiveDiscoveryClient(InstanceCache cache) {
        return new RosterReactiveDiscoveryClient(cache);
    }
}
