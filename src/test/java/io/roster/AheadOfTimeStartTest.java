package io.roster;

import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AheadOfTimeStartTest {

    @Test
    void roster_ownSettingsTheClientPortAndTlsKeepTheBuildsBeans() {
        StandardEnvironment environment = environmentWith(Map.of("ROSTER_NAME", "n1", "ROSTER_AUTH_TOKENS", "secret",
                "SERVER_PORT", "2379", "SERVER_SSL_ENABLED", "true", "SERVER_SSL_CLIENT_AUTH", "want",
                "MANAGEMENT_ENDPOINT_HEALTH_SHOW_DETAILS", "always", "PATH", "/usr/bin", "LOGGING_LEVEL_ROOT", "debug"));

        assertThat(AheadOfTimeStart.beanShapingSetting(environment)).isEmpty();
    }

    @Test
    void aSeparateManagementPortFromTheEnvironmentIsNamed() {
        StandardEnvironment environment = environmentWith(Map.of("ROSTER_NAME", "n1", "MANAGEMENT_SERVER_PORT", "9000"));

        assertThat(AheadOfTimeStart.beanShapingSetting(environment)).contains("management.server.port");
    }

    @Test
    void aProfileOnTheCommandLineIsNamed() {
        StandardEnvironment environment = environmentWith(Map.of());
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource("--spring.profiles.active=dev"));

        assertThat(AheadOfTimeStart.beanShapingSetting(environment)).contains("spring.profiles.active");
    }

    @Test
    void theConfigurationPackagedInTheJarIsWhatTheBuildSaw() {
        StandardEnvironment environment = environmentWith(Map.of());
        environment.getPropertySources().addLast(new MapPropertySource(
                "Config resource 'class path resource [application.yml]' via location 'optional:classpath:/'",
                Map.of("management.endpoint.health.show-details", "when-authorized", "springdoc.api-docs.enabled", "true")));

        assertThat(AheadOfTimeStart.beanShapingSetting(environment)).isEmpty();
    }

    @Test
    void aFileGivenAtStartIsRead() {
        StandardEnvironment environment = environmentWith(Map.of());
        environment.getPropertySources().addLast(new MapPropertySource(
                "Config resource 'file [/etc/roster/application.yml]' via location 'file:/etc/roster/application.yml'",
                Map.of("springdoc.swagger-ui.enabled", "false")));

        assertThat(AheadOfTimeStart.beanShapingSetting(environment)).contains("springdoc.swagger-ui.enabled");
    }

    @Test
    void theOperatorsConfigurationFileKeepsTheBuildsBeans() throws IOException {
        StandardEnvironment environment = environmentWith(Map.of());
        Path operatorFile = Path.of("application.yml");
        new YamlPropertySourceLoader().load("Config resource 'file [application.yml]'", new FileSystemResource(operatorFile))
                .forEach(environment.getPropertySources()::addLast);

        assertThat(environment.getProperty("management.endpoint.health.show-details")).as("the file was read").isNotNull();
        assertThat(AheadOfTimeStart.beanShapingSetting(environment)).isEmpty();
    }

    private static StandardEnvironment environmentWith(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addLast(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        return environment;
    }
}
