package io.roster.cloud;

import io.roster.client.RosterClient;

import java.net.URI;
import java.util.List;

/** A {@link RosterClient} for the spring.cloud.roster settings. */
public final class RosterClients {

    private RosterClients() {
    }

    public static RosterClient create(RosterProperties properties) {
        return create(properties, properties.endpoints().stream().map(URI::toString).toList());
    }

    /** A client of the same settings that tries the endpoints in the order given. */
    public static RosterClient create(RosterProperties properties, List<String> endpoints) {
        RosterClient.Builder builder = RosterClient.builder().endpoints(endpoints);
        if (properties.token() != null && !properties.token().isBlank()) {
            builder.token(properties.token());
        }
        return builder.build();
    }
}
