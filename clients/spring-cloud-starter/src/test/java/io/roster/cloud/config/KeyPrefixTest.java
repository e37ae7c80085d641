package io.roster.cloud.config;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KeyPrefixTest {

    @Test
    void keysUnderThePrefixArePropertiesWithDotsForSlashes() {
        KeyPrefix prefix = new KeyPrefix("config/app/");
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("config/app/greeting", "hello");
        keys.put("config/app/db/url", "postgres://db");
        keys.put("config/app/", "the prefix itself");

        assertThat(prefix.properties(keys)).containsExactly(Map.entry("greeting", "hello"),
                Map.entry("db.url", "postgres://db"));
    }

    @Test
    void aPrefixEndsWithASlashAndHasNoLeadingOne() {
        assertThat(new KeyPrefix("/config/app").value()).isEqualTo("config/app/");
        assertThat(KeyPrefix.ofApplication("hello-service").value()).isEqualTo("config/hello-service/");
    }

    @Test
    void aKeyThatMerelyStartsLikeThePrefixIsNotOneOfItsProperties() {
        assertThat(new KeyPrefix("config/app/").propertyName("config/application/x")).isNull();
    }
}
