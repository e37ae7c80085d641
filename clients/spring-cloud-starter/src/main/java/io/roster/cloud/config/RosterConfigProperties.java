package io.roster.cloud.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Properties from Roster's key-value store, imported with spring.config.import=roster:.
 *
 * @param enabled Whether roster: imports load anything.
 * @param prefix  The key prefix whose keys become properties when the import names none (roster:config/app/
 *                names one). Defaults to config/(spring.application.name)/. Key (prefix)db/url is property db.url.
 */
@ConfigurationProperties(RosterConfigProperties.PREFIX)
public record RosterConfigProperties(@DefaultValue("true") boolean enabled, String prefix) {

    public static final String PREFIX = "spring.cloud.roster.config";
}
