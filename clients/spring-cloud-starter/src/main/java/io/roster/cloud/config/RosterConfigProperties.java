package io.roster.cloud.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Properties from Roster's key-value store, imported with {@code spring.config.import=roster:}.
 *
 * @param enabled whether {@code roster:} imports load anything
 * @param prefix  the key prefix whose keys become properties, when the import names none
 *                ({@code roster:config/app/} names one); defaults to config/&lt;spring.application.name&gt;/.
 *                Key {@code <prefix>db/url} becomes property {@code db.url}
 */
@ConfigurationProperties(RosterConfigProperties.PREFIX)
public record RosterConfigProperties(@DefaultValue("true") boolean enabled, String prefix) {

    public static final String PREFIX = "spring.cloud.roster.config";
}
