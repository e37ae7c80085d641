package io.roster.cloud.discovery;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;

/**
 * How this application appears in Roster's registry, and whether it looks others up there.
 *
 * @param enabled         Whether to register this application and look services up in Roster.
 * @param serviceName     The service this application is an instance of. Defaults to spring.application.name.
 * @param instanceId      This instance's id within the service. Defaults to service name, host and port.
 * @param host            The address other services reach this instance at. Defaults to this machine's first
 *                        non-loopback host name (or IP address, with prefer-ip-address).
 * @param preferIpAddress Whether to register the IP address rather than the host name.
 * @param ttl             How long Roster keeps the instance without a heartbeat (1s to 1h). Heartbeats are sent
 *                        every ttl/3.
 * @param zone            The zone this instance runs in. LoadBalancer's zone preference prefers instances of the
 *                        caller's zone, spring.cloud.loadbalancer.zone, which defaults to this.
 * @param metadata        Metadata of this instance, given to every ServiceInstance that stands for it.
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
