package io.roster.cloud.config;

import io.roster.client.RosterClient;
import io.roster.cloud.RosterAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * Follows the prefixes that {@code spring.config.import=roster:} loaded, when there are any (the loader hands
 * them over as the {@link RosterConfigImports} bean).
 */
@AutoConfiguration(after = RosterAutoConfiguration.class)
@ConditionalOnBean(RosterConfigImports.class)
@ConditionalOnProperty(value = "spring.cloud.refresh.enabled", matchIfMissing = true)
public class RosterConfigAutoConfiguration {

    @Bean
    ConfigWatch rosterConfigWatch(RosterClient client, RosterConfigImports imports, ApplicationEventPublisher events) {
        return new ConfigWatch(client, imports, events);
    }
}
