package io.roster.cloud.discovery;

import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InstanceCacheTest {

    private final List<ApplicationEvent> published = new ArrayList<>();
    private final InstanceCache cache = new InstanceCache(event -> published.add((ApplicationEvent) event));

    @Test
    void aRegistrationIsSeenAndAnnouncedWithItsRevision() {
        cache.put(instance("web", "web-1", "UP", 5), 5);

        assertThat(ids(cache.upInstances("web"))).containsExactly("web-1");
        assertThat(cache.serviceNames()).containsExactly("web");
        assertThat(published).singleElement().isInstanceOfSatisfying(HeartbeatEvent.class,
                event -> assertThat(event.getValue()).isEqualTo(5L));
    }

    @Test
    void onlyUpInstancesAreOfferedButAllAreKept() {
        cache.put(instance("web", "web-1", "UP", 5), 5);
        cache.put(instance("web", "web-2", "OUT_OF_SERVICE", 6), 6);

        assertThat(ids(cache.upInstances("web"))).containsExactly("web-1");
        assertThat(cache.allInstances("web")).hasSize(2);
    }

    @Test
    void aStatusChangeIsAnnounced() {
        cache.put(instance("web", "web-1", "UP", 5), 5);
        cache.put(instance("web", "web-1", "DOWN", 7), 7);

        assertThat(cache.upInstances("web")).isEmpty();
        assertThat(published).hasSize(2);
    }

    @Test
    void aRemovalIsSeenAndAnnounced() {
        cache.put(instance("web", "web-1", "UP", 5), 5);
        cache.remove("web", "web-1", 8);

        assertThat(cache.upInstances("web")).isEmpty();
        assertThat(cache.serviceNames()).isEmpty();
        assertThat(published).hasSize(2);
        assertThat(cache.revision()).isEqualTo(8);
    }

    @Test
    void olderNewsChangesNothingAndIsNotAnnounced() {
        cache.put(instance("web", "web-1", "UP", 9), 9);
        published.clear();

        cache.put(instance("web", "web-1", "DOWN", 6), 6);
        cache.remove("web", "web-1", 7);
        cache.remove("web", "unknown", 10);

        assertThat(ids(cache.upInstances("web"))).containsExactly("web-1");
        assertThat(published).isEmpty();
        assertThat(cache.revision()).isEqualTo(10);
    }

    @Test
    void aListingReplacesWhatItDoesNotContainButKeepsNewerNews() {
        cache.put(instance("web", "gone", "UP", 3), 3);
        cache.put(instance("web", "newer", "UP", 12), 12);
        cache.put(instance("db", "db-1", "UP", 4), 4);
        published.clear();

        cache.replaceAll(Map.of("web", List.of(instance("web", "web-1", "UP", 9))), 10);

        assertThat(ids(cache.upInstances("web"))).containsExactly("newer", "web-1");
        assertThat(cache.serviceNames()).containsExactly("web");
        assertThat(published).hasSize(1);
    }

    @Test
    void anUnchangedListingIsNotAnnounced() {
        cache.put(instance("web", "web-1", "UP", 9), 9);
        published.clear();

        cache.replaceAll(Map.of("web", List.of(instance("web", "web-1", "UP", 9))), 11);

        assertThat(published).isEmpty();
        assertThat(cache.revision()).isEqualTo(11);
    }

    @Test
    void theZoneIsTheMetadataEntryLoadBalancerReads() {
        RosterServiceInstance zoned = new RosterServiceInstance("web", "web-1", "10.0.0.1", 8080, false, "eu-1a", 100,
                "UP", Map.of("version", "2"), 1);

        assertThat(zoned.getMetadata()).containsEntry("zone", "eu-1a").containsEntry("version", "2");
        assertThat(zoned.getUri()).hasToString("http://10.0.0.1:8080");
    }

    static RosterServiceInstance instance(String service, String id, String status, long modRevision) {
        return new RosterServiceInstance(service, id, "127.0.0.1", 8080, false, null, 100, status, Map.of(), modRevision);
    }

    private static List<String> ids(List<ServiceInstance> instances) {
        return instances.stream().map(ServiceInstance::getInstanceId).toList();
    }
}
