package io.roster.cloud.discovery;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import reactor.core.publisher.Flux;

/** The reactive face of the {@link InstanceCache}; nothing here blocks, so nothing needs another scheduler. */
public class RosterReactiveDiscoveryClient implements ReactiveDiscoveryClient {

    private final InstanceCache cache;

    public RosterReactiveDiscoveryClient(InstanceCache cache) {
        this.cache = cache;
    }

    @Override
    public String description() {
        return "Roster Reactive Discovery Client";
    }

    @Override
    public Flux<ServiceInstance> getInstances(String serviceId) {
        return Flux.defer(() -> Flux.fromIterable(cache.upInstances(serviceId)));
    }

    @Override
    public Flux<String> getServices() {
        return Flux.defer(() -> Flux.fromIterable(cache.serviceNames()));
    }
}
