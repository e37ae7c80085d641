package io.roster.cloud;

import io.roster.client.RosterClient;

import java.net.URI;

/** A {@link RosterClient} for the spring.cloud.roster settings. */
public final class RosterClients {

    private RosterClients() {
    }

    public static RosterClient create(RosterProperties properties) {
        RosterClient.Builder builder = RosterClient.builder()
                .endpoints(properties.endpoints().stream().map(URI::toString).toList());
        if (properties.token() != null && !properties.token().isBlank()) {
            builder.token(properties.token());
        }
        return builder.build();
    }
}
