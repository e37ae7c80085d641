package io.roster.cloud.discovery;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;

/**
 * How this application appears in Roster's registry, and whether it looks others up there.
 *
 * @param enabled         whether to register this application and look services up in Roster
 * @param serviceName     the service this application is an instance of; defaults to spring.application.name
 * @param instanceId      this instance's id within the service; defaults to service name, host and port
 * @param host            the address other services reach this instance at; defaults to this machine's first
 *                        non-loopback host name (or IP address, with prefer-ip-address)
 * @param preferIpAddress whether to register the IP address rather than the host name
 * @param ttl             how long Roster keeps the instance without a heartbeat (1s to 1h); heartbeats are
 *                        sent every ttl/3
 * @param zone            the zone this instance runs in; LoadBalancer's zone preference prefers instances of
 *                        the caller's zone (spring.cloud.loadbalancer.zone, which defaults to this)
 * @param metadata        metadata of this instance, given to every ServiceInstance that represents it
 */
@ConfigurationProperties(RosterDiscoveryProperties.PREFIX)
public record RosterDiscoveryProperties(@DefaultValue("true") boolean enabled, String serviceName, String instanceId,
                                        String host, @DefaultValue("false") boolean preferIpAddress,
                                        @DefaultValue("30s") Duration ttl, String zone, Map<String, String> metadata) {

    public static final String PREFIX = "spring.cloud.roster.discovery";

    public RosterDiscoveryProperties {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
