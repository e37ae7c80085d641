package io.roster.cloud.config;

import io.roster.cloud.RosterProperties;
import org.springframework.boot.context.config.ConfigDataLocation;
import org.springframework.boot.context.config.ConfigDataLocationResolver;
import org.springframework.boot.context.config.ConfigDataLocationResolverContext;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;

import java.util.List;

/**
 * Resolves {@code spring.config.import=roster:} (the prefix of {@code spring.cloud.roster.config.prefix}, by
 * default config/&lt;spring.application.name&gt;/) and {@code roster:<prefix>} to the keys to load.
 */
public class RosterConfigDataLocationResolver implements ConfigDataLocationResolver<RosterConfigDataResource> {

    static final String LOCATION_PREFIX = "roster:";

    @Override
    public boolean isResolvable(ConfigDataLocationResolverContext context, ConfigDataLocation location) {
        return location.hasPrefix(LOCATION_PREFIX);
    }

    /** With spring.cloud.roster.config.enabled=false the import stays valid, and loads nothing. */
    @Override
    public List<RosterConfigDataResource> resolve(ConfigDataLocationResolverContext context, ConfigDataLocation location) {
        Binder binder = context.getBinder();
        RosterProperties connection = binder.bindOrCreate(RosterProperties.PREFIX, Bindable.of(RosterProperties.class));
        return List.of(new RosterConfigDataResource(prefix(binder, location), connection, location.isOptional(),
                configProperties(binder).enabled()));
    }

    private static KeyPrefix prefix(Binder binder, ConfigDataLocation location) {
        String named = location.getNonPrefixedValue(LOCATION_PREFIX).trim();
        if (!named.isEmpty()) {
            return new KeyPrefix(named);
        }
        String configured = configProperties(binder).prefix();
        if (configured != null && !configured.isBlank()) {
            return new KeyPrefix(configured.trim());
        }
        return KeyPrefix.ofApplication(binder.bind("spring.application.name", String.class).orElse("application"));
    }

    private static RosterConfigProperties configProperties(Binder binder) {
        return binder.bindOrCreate(RosterConfigProperties.PREFIX, Bindable.of(RosterConfigProperties.class));
    }
}
