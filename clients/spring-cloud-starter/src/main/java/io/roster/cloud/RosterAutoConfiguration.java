package io.roster.cloud;

import io.roster.client.RosterClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** The one {@link RosterClient} of the application, shared by discovery, registration and configuration. */
@AutoConfiguration
@EnableConfigurationProperties(RosterProperties.class)
public class RosterAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    RosterClient rosterClient(RosterProperties properties) {
        return RosterClients.create(properties);
    }
}
