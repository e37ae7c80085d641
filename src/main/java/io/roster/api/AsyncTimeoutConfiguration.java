package io.roster.api;

import io.roster.config.RosterProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Requests answer asynchronously. The longest legitimate wait is a blocking query's {@code wait} plus a
 * linearizable read after it, so the container's async timeout follows from those two settings rather
 * than being a third number to keep in step. Event streams set no timeout of their own.
 */
@Configuration(proxyBeanMethods = false)
class AsyncTimeoutConfiguration implements WebMvcConfigurer {

    private final RosterProperties properties;

    AsyncTimeoutConfiguration(RosterProperties properties) {
        this.properties = properties;
    }

    @Override
    public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
        long margin = 30_000;
        configurer.setDefaultTimeout(properties.registry().maxWait().toMillis()
                + properties.raft().requestTimeout().toMillis() + margin);
    }
}
