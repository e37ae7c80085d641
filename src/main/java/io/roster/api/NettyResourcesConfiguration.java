package io.roster.api;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

import java.time.Duration;

/**
 * The web server's event loops belong to this application context, not to Reactor Netty's process-wide
 * resources: stopping one member must not stop the loops of another member in the same JVM (the
 * in-process cluster tests run several), and the server has already drained its requests by the time the
 * loops stop, so they stop without a quiet period.
 */
@Configuration(proxyBeanMethods = false)
class NettyResourcesConfiguration {

    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory resources = new ReactorResourceFactory();
        resources.setUseGlobalResources(false);
        resources.setShutdownQuietPeriod(Duration.ZERO);
        return resources;
    }
}
