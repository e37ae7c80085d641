package io.roster.cloud.serviceregistry;

import io.roster.cloud.discovery.RosterServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.serviceregistry.Registration;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * This application's instance as it registers. The port is known only once the web server has started, so
 * it is set then ({@link #initializePort}); the default instance id includes it.
 */
public final class RosterRegistration implements Registration {

    private final String serviceId;
    private final String configuredInstanceId;
    private final String host;
    private final boolean secure;
    private final String zone;
    private final Map<String, String> metadata;
    private final Duration ttl;
    private volatile int port;

    public RosterRegistration(String serviceId, String instanceId, String host, int port, boolean secure, String zone,
                              Map<String, String> metadata, Duration ttl) {
        this.serviceId = serviceId;
        this.configuredInstanceId = instanceId;
        this.host = host;
        this.port = port;
        this.secure = secure;
        this.zone = zone;
        this.metadata = metadata;
        this.ttl = ttl;
    }

    /** Sets the port the web server listens on, unless one was configured. */
    public void initializePort(int port) {
        if (this.port <= 0) {
            this.port = port;
        }
    }

    @Override
    public String getServiceId() {
        return serviceId;
    }

    /** The configured id, else service-host-port in the characters Roster allows in ids. */
    @Override
    public String getInstanceId() {
        if (configuredInstanceId != null && !configuredInstanceId.isBlank()) {
            return configuredInstanceId;
        }
        return (serviceId + "-" + host + "-" + port).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    }

    @Override
    public String getHost() {
        return host;
    }

    @Override
    public int getPort() {
        return port;
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public URI getUri() {
        return ServiceInstance.createUri(this);
    }

    /** The registered metadata; the zone is in it too, as it is for instances other applications see. */
    @Override
    public Map<String, String> getMetadata() {
        if (zone == null) {
            return metadata;
        }
        Map<String, String> withZone = new HashMap<>(metadata);
        withZone.put(RosterServiceInstance.ZONE_KEY, zone);
        return Map.copyOf(withZone);
    }

    /** The metadata as configured, without the zone (which Roster keeps as a field of its own). */
    public Map<String, String> getRegisteredMetadata() {
        return metadata;
    }

    public String getZone() {
        return zone;
    }

    public Duration getTtl() {
        return ttl;
    }

    @Override
    public String toString() {
        return serviceId + "/" + getInstanceId() + "@" + host + ":" + port;
    }
}
