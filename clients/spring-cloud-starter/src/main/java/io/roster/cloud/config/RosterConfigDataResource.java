package io.roster.cloud.config;

import io.roster.cloud.RosterProperties;
import org.springframework.boot.context.config.ConfigDataResource;

import java.util.Objects;

/**
 * One {@code roster:} import: the keys under a prefix, read from the endpoints in {@code connection}; or
 * nothing, when spring.cloud.roster.config.enabled is false.
 */
final class RosterConfigDataResource extends ConfigDataResource {

    private final KeyPrefix prefix;
    private final RosterProperties connection;
    private final boolean enabled;

    RosterConfigDataResource(KeyPrefix prefix, RosterProperties connection, boolean optional, boolean enabled) {
        super(optional);
        this.prefix = prefix;
        this.connection = connection;
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    KeyPrefix prefix() {
        return prefix;
    }

    RosterProperties connection() {
        return connection;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RosterConfigDataResource that && prefix.equals(that.prefix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(prefix);
    }

    @Override
    public String toString() {
        return "roster:" + prefix;
    }
}
