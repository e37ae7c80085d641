package io.roster.cloud.discovery;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.client.ConditionalOnDiscoveryEnabled;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Both spring.cloud.discovery.enabled and spring.cloud.roster.discovery.enabled are on (the default). */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnDiscoveryEnabled
@ConditionalOnProperty(value = RosterDiscoveryProperties.PREFIX + ".enabled", matchIfMissing = true)
public @interface ConditionalOnRosterDiscoveryEnabled {
}
