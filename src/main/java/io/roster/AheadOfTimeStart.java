package io.roster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aot.AotDetector;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.ApplicationListener;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.SpringProperties;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.util.ClassUtils;

import java.util.List;
import java.util.Optional;

/**
 * Lets a start use the bean definitions that the build computed ahead of time ({@code spring-boot:process-aot},
 * ADR 0022), which saves the start its configuration-class parsing and condition evaluation: about a fifth of
 * a single node's time to ready. Those definitions were computed with the settings packaged in the jar, so
 * a setting given at run time that adds or removes beans (a separate management port, a Spring profile, an
 * endpoint switched on or off) would be silently ignored. Such settings are Spring's and springdoc's, never
 * Roster's own ({@code roster.*} shapes no bean; {@code ArchitectureTest} keeps it so): when one is set from
 * outside the jar, the start computes its beans as usual and says why.
 *
 * <p>Registered by {@link RosterApplication#main} only, so tests that build their own contexts are not
 * affected. {@code -Dspring.aot.enabled=true|false} decides on its own.
 */
final class AheadOfTimeStart implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static final Logger log = LoggerFactory.getLogger(AheadOfTimeStart.class);
    /** The class {@code process-aot} generates for the application; absent when the jar was built without it. */
    private static final String GENERATED_INITIALIZER = RosterApplication.class.getName() + "__ApplicationContextInitializer";
    private static final List<String> SPRING_BOOT_OWN_SOURCES = List.of("applicationInfo", "configurationProperties");
    /** Families of settings whose values decide, through conditions, which beans exist. */
    private static final List<String> BEAN_SHAPING_PREFIXES = List.of("spring.", "management.", "springdoc.", "server.");
    /** Settings in those families that beans read when they run, so the definitions do not depend on them. */
    private static final List<String> READ_AT_RUN_TIME = List.of("spring.config.", "spring.context.exit", "server.port", "server.address",
            "server.ssl.", "server.shutdown", "management.endpoint.health.show-details",
            "management.endpoint.health.show-components");

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        if (SpringProperties.getProperty(AotDetector.AOT_ENABLED) != null || Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)
                || !ClassUtils.isPresent(GENERATED_INITIALIZER, RosterApplication.class.getClassLoader())) {
            return;
        }
        Optional<String> setting = beanShapingSetting(event.getEnvironment());
        if (setting.isPresent()) {
            log.info("Computing the beans at start instead of using the build's ahead-of-time definitions, because {} is set"
                    + " and may add or remove beans (a slower start: ADR 0022)", setting.get());
            return;
        }
        SpringProperties.setProperty(AotDetector.AOT_ENABLED, "true");
    }

    /** The first setting given from outside the jar whose value may decide which beans exist, if any. */
    static Optional<String> beanShapingSetting(ConfigurableEnvironment environment) {
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?>) || packagedInTheJar(source)) {
                continue;
            }
            for (ConfigurationPropertySource mapped : ConfigurationPropertySources.from(source)) {
                if (mapped instanceof IterableConfigurationPropertySource iterable) {
                    Optional<String> found = iterable.stream().map(ConfigurationPropertyName::toString)
                            .filter(AheadOfTimeStart::shapesBeans).findFirst();
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean shapesBeans(String name) {
        String bare = withoutSeparators(name);
        return BEAN_SHAPING_PREFIXES.stream().anyMatch(name::startsWith)
                && READ_AT_RUN_TIME.stream().noneMatch(allowed -> allowed.endsWith(".")
                        ? bare.startsWith(withoutSeparators(allowed)) : bare.equals(withoutSeparators(allowed)));
    }

    /**
     * An environment variable cannot tell a dash from a dot ({@code MANAGEMENT_ENDPOINT_HEALTH_SHOW_DETAILS} reads as
     * {@code management.endpoint.health.show.details}), so names are compared without either.
     */
    private static String withoutSeparators(String name) {
        return name.replace(".", "").replace("-", "");
    }

    /**
     * The configuration inside the jar, which the build saw; what Spring Boot adds itself (the version and pid);
     * and Spring's view over all sources, not a source of its own.
     */
    private static boolean packagedInTheJar(PropertySource<?> source) {
        return source.getName().contains("class path resource") || SPRING_BOOT_OWN_SOURCES.contains(source.getName());
    }
}
