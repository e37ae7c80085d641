package io.roster.cloud;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.util.List;

/**
 * How to reach the Roster cluster, shared by discovery, registration and configuration.
 *
 * @param endpoints client URLs of Roster members, comma-separated; any member answers any request, and the
 *                  client moves to the next one when a member does not answer
 * @param token     bearer token sent with every request, when the cluster sets {@code roster.auth.tokens}
 * @param failFast  whether the application stops when no member answers at startup; when false it starts
 *                  anyway and registers (and loads configuration) once a member answers
 */
@ConfigurationProperties(RosterProperties.PREFIX)
public record RosterProperties(@DefaultValue("http://localhost:2379") List<URI> endpoints, String token,
                               @DefaultValue("false") boolean failFast) {

    public static final String PREFIX = "spring.cloud.roster";
}
