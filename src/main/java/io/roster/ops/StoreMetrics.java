package io.roster.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.roster.registry.RegistryStats;
import io.roster.store.RosterStore;
import io.roster.watch.WatchHub;

/** What the store holds: keys, leases, registry instances and services, and who is watching. */
final class StoreMetrics implements MeterBinder {

    private final RosterStore store;
    private final RegistryStats registry;
    private final WatchHub hub;

    StoreMetrics(RosterStore store, RegistryStats registry, WatchHub hub) {
        this.store = store;
        this.registry = registry;
        this.hub = hub;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        Gauge.builder("roster.keys", store, RosterStore::keyCount)
                .description("Keys in the store, registry instances included").register(meters);
        Gauge.builder("roster.leases", store, RosterStore::leaseCount)
                .description("Leases in the store").register(meters);
        Gauge.builder("roster.revision", store, RosterStore::revision)
                .description("The store revision this member has applied").register(meters);
        FunctionCounter.builder("roster.lease.expired", store, RosterStore::expiredLeaseCount)
                .description("Leases revoked because their TTL ran out, as applied by this member").register(meters);
        Gauge.builder("roster.registry.instances", registry, RegistryStats::instances)
                .description("Registered service instances").register(meters);
        Gauge.builder("roster.registry.services", registry, RegistryStats::services)
                .description("Services with at least one registered instance").register(meters);
        Gauge.builder("roster.watchers", hub, WatchHub::subscriberCount)
                .description("Open watches: event streams and waiting blocking queries").register(meters);
    }
}
