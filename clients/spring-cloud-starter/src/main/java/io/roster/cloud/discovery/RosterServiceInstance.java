package io.roster.cloud.discovery;

import org.springframework.cloud.client.ServiceInstance;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One registered instance as Spring Cloud sees it. Its zone is also the metadata entry {@code zone}, because
 * that is where LoadBalancer's zone preference looks for it.
 */
public final class RosterServiceInstance implements ServiceInstance {

    /** The metadata key LoadBalancer's ZonePreferenceServiceInstanceListSupplier reads. */
    public static final String ZONE_KEY = "zone";

    private final String serviceId;
    private final String instanceId;
    private final String host;
    private final int port;
    private final boolean secure;
    private final String zone;
    private final int weight;
    private final String status;
    private final Map<String, String> metadata;
    private final long modRevision;
    private final URI uri;

    public RosterServiceInstance(String serviceId, String instanceId, String host, int port, boolean secure,
                                 String zone, int weight, String status, Map<String, String> metadata, long modRevision) {
        this.serviceId = serviceId;
        this.instanceId = instanceId;
        this.host = host;
        this.port = port;
        this.secure = secure;
        this.zone = zone;
        this.weight = weight;
        this.status = status;
        this.metadata = withZone(metadata, zone);
        this.modRevision = modRevision;
        this.uri = ServiceInstance.createUri(this);
    }

    private static Map<String, String> withZone(Map<String, String> metadata, String zone) {
        if (zone == null || zone.isEmpty()) {
            return Map.copyOf(metadata);
        }
        Map<String, String> merged = new HashMap<>(metadata);
        merged.put(ZONE_KEY, zone);
        return Map.copyOf(merged);
    }

    @Override
    public String getServiceId() {
        return serviceId;
    }

    @Override
    public String getInstanceId() {
        return instanceId;
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
        return uri;
    }

    @Override
    public Map<String, String> getMetadata() {
        return metadata;
    }

    /** The zone the instance registered with, or null. */
    public String getZone() {
        return zone;
    }

    public int getWeight() {
        return weight;
    }

    /** UP, DOWN, STARTING or OUT_OF_SERVICE; only UP instances are offered for traffic. */
    public String getStatus() {
        return status;
    }

    /** The registry revision of the instance's last change. */
    public long getModRevision() {
        return modRevision;
    }

    public boolean isUp() {
        return "UP".equals(status);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RosterServiceInstance that && serviceId.equals(that.serviceId)
                && instanceId.equals(that.instanceId) && modRevision == that.modRevision;
    }

    @Override
    public int hashCode() {
        return Objects.hash(serviceId, instanceId, modRevision);
    }

    @Override
    public String toString() {
        return serviceId + "/" + instanceId + "@" + host + ":" + port + " " + status;
    }
}
