package io.roster.cloud;

import io.roster.client.RosterClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/** The "roster" health indicator (management.health.roster.enabled). */
@AutoConfiguration(after = RosterAutoConfiguration.class)
@ConditionalOnBean(RosterClient.class)
@ConditionalOnEnabledHealthIndicator("roster")
public class RosterHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RosterHealthIndicator rosterHealthIndicator(RosterClient client) {
        return new RosterHealthIndicator(client);
    }
}
