package io.roster.cloud;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** IDEs complete and explain every setting from the generated metadata: each has a description. */
class ConfigurationMetadataTest {

    @Test
    void everySettingIsDescribed() throws Exception {
        JsonNode metadata;
        try (InputStream json = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = new ObjectMapper().readTree(json);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode property : metadata.get("properties")) {
            names.add(property.get("name").asString());
            assertThat(property.path("description").asString()).as(property.get("name").asString()).isNotBlank();
        }

        assertThat(names).containsExactlyInAnyOrder("spring.cloud.roster.endpoints", "spring.cloud.roster.token",
                "spring.cloud.roster.fail-fast", "spring.cloud.roster.discovery.enabled",
                "spring.cloud.roster.discovery.service-name", "spring.cloud.roster.discovery.instance-id",
                "spring.cloud.roster.discovery.host", "spring.cloud.roster.discovery.prefer-ip-address",
                "spring.cloud.roster.discovery.ttl", "spring.cloud.roster.discovery.zone",
                "spring.cloud.roster.discovery.metadata", "spring.cloud.roster.config.enabled",
                "spring.cloud.roster.config.prefix");
    }
}
