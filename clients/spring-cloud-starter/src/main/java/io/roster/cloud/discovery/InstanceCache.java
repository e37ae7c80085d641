package io.roster.cloud.discovery;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationEventPublisher;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every registered instance, kept current by {@link RegistryWatch}, so that lookups never leave the JVM.
 * Changes come from one thread (the watch's); lookups from any thread read an immutable list per service,
 * replaced whole on a change. After a change that alters what lookups return, it publishes a
 * {@link HeartbeatEvent} carrying the revision, which is Spring Cloud's signal that the catalog changed.
 * <p>
 * Each instance remembers the revision of its last change and older news is ignored, so the first listing
 * and the events of a watch started before it may overlap in any way and still end in the right state.
 */
public final class InstanceCache {

    private final ApplicationEventPublisher events;
    private final Map<String, Service> services = new ConcurrentHashMap<>();
    private volatile long revision;

    public InstanceCache(ApplicationEventPublisher events) {
        this.events = events;
    }

    /** UP instances of the service, from memory. */
    public List<ServiceInstance> upInstances(String serviceId) {
        Service service = services.get(serviceId);
        return service == null ? List.of() : service.up;
    }

    /** Every instance of the service, whatever its status. */
    public Collection<RosterServiceInstance> allInstances(String serviceId) {
        Service service = services.get(serviceId);
        return service == null ? List.of() : service.byId.values();
    }

    /** Services with at least one registered instance. */
    public List<String> serviceNames() {
        return services.keySet().stream().sorted().toList();
    }

    /** The registry revision the cache reflects. */
    public long revision() {
        return revision;
    }

    /**
     * Replaces everything known with a listing taken at {@code revision}: instances missing from it are gone,
     * unless the cache holds newer news of them.
     */
    public void replaceAll(Map<String, List<RosterServiceInstance>> listing, long revision) {
        boolean changed = false;
        for (String name : List.copyOf(services.keySet())) {
            Service current = services.get(name);
            Map<String, RosterServiceInstance> kept = new HashMap<>();
            for (RosterServiceInstance known : current.byId.values()) {
                if (known.getModRevision() > revision) {
                    kept.put(known.getInstanceId(), known);
                }
            }
            for (RosterServiceInstance listed : listing.getOrDefault(name, List.of())) {
                kept.merge(listed.getInstanceId(), listed, InstanceCache::newer);
            }
            changed |= install(name, current, kept);
        }
        for (Map.Entry<String, List<RosterServiceInstance>> listed : listing.entrySet()) {
            if (!services.containsKey(listed.getKey())) {
                Map<String, RosterServiceInstance> byId = new HashMap<>();
                listed.getValue().forEach(instance -> byId.put(instance.getInstanceId(), instance));
                changed |= install(listed.getKey(), null, byId);
            }
        }
        advance(revision, changed);
    }

    /** An instance registered or changed at {@code revision}. */
    public void put(RosterServiceInstance instance, long revision) {
        Service current = services.get(instance.getServiceId());
        RosterServiceInstance known = current == null ? null : current.byId.get(instance.getInstanceId());
        boolean changed = false;
        if (known == null || known.getModRevision() < instance.getModRevision()) {
            Map<String, RosterServiceInstance> byId = current == null ? new HashMap<>() : new HashMap<>(current.byId);
            byId.put(instance.getInstanceId(), instance);
            changed = install(instance.getServiceId(), current, byId);
        }
        advance(revision, changed);
    }

    /** An instance deregistered or expired at {@code revision}. */
    public void remove(String serviceId, String instanceId, long revision) {
        Service current = services.get(serviceId);
        RosterServiceInstance known = current == null ? null : current.byId.get(instanceId);
        boolean changed = false;
        if (known != null && known.getModRevision() < revision) {
            Map<String, RosterServiceInstance> byId = new HashMap<>(current.byId);
            byId.remove(instanceId);
            changed = install(serviceId, current, byId);
        }
        advance(revision, changed);
    }

    private static RosterServiceInstance newer(RosterServiceInstance a, RosterServiceInstance b) {
        return a.getModRevision() >= b.getModRevision() ? a : b;
    }

    /** Installs the service's new instances; true if lookups now answer differently. */
    private boolean install(String name, Service current, Map<String, RosterServiceInstance> byId) {
        Service next = new Service(Map.copyOf(byId));
        if (byId.isEmpty()) {
            services.remove(name);
        } else {
            services.put(name, next);
        }
        return current == null ? !byId.isEmpty() : !current.byId.equals(next.byId);
    }

    private void advance(long revision, boolean changed) {
        this.revision = Math.max(this.revision, revision);
        if (changed) {
            events.publishEvent(new HeartbeatEvent(this, this.revision));
        }
    }

    /** One service's instances, and the UP ones as lookups return them (computed once per change). */
    private static final class Service {
        final Map<String, RosterServiceInstance> byId;
        final List<ServiceInstance> up;

        Service(Map<String, RosterServiceInstance> byId) {
            this.byId = byId;
            this.up = byId.values().stream().filter(RosterServiceInstance::isUp)
                    .sorted(java.util.Comparator.comparing(RosterServiceInstance::getInstanceId))
                    .map(ServiceInstance.class::cast).toList();
        }
    }
}
