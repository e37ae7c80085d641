package io.roster.cloud;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.util.List;

/**
 * How to reach the Roster cluster, shared by discovery, registration and configuration.
 *
 * @param endpoints Client URLs of Roster members, comma-separated. Any member answers any request; the client
 *                  moves to the next one when a member does not answer.
 * @param token     Bearer token sent with every request, when the cluster sets roster.auth.tokens.
 * @param failFast  Whether the application stops when no member answers at startup. When false, it starts
 *                  anyway, and registers and loads its configuration once a member answers.
 */
@ConfigurationProperties(RosterProperties.PREFIX)
public record RosterProperties(@DefaultValue("http://localhost:2379") List<URI> endpoints, String token,
                               @DefaultValue("false") boolean failFast) {

    public static final String PREFIX = "spring.cloud.roster";
}
