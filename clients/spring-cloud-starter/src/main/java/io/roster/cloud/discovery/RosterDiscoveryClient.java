package io.roster.cloud.discovery;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

import java.util.List;

/** Services and their UP instances, answered from the {@link InstanceCache}: no lookup makes a network call. */
public class RosterDiscoveryClient implements DiscoveryClient {

    private final InstanceCache cache;

    public RosterDiscoveryClient(InstanceCache cache) {
        this.cache = cache;
    }

    @Override
    public String description() {
        return "Roster Discovery Client";
    }

    @Override
    public List<ServiceInstance> getInstances(String serviceId) {
        return cache.upInstances(serviceId);
    }

    @Override
    public List<String> getServices() {
        return cache.serviceNames();
    }
}
