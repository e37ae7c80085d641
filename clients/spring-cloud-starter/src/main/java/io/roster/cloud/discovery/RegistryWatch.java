package io.roster.cloud.discovery;

import io.roster.client.Instance;
import io.roster.client.InstanceSnapshot;
import io.roster.client.RegistryEvent;
import io.roster.client.RosterClient;
import io.roster.client.RosterException;
import io.roster.client.Watch;
import io.roster.client.WatchListener;
import io.roster.cloud.LeaderFirst;
import io.roster.cloud.RosterClients;
import io.roster.cloud.RosterProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Keeps the {@link InstanceCache} current with one watch of every service. It starts from revision 0, so
 * the members either replay every registry change they still hold or, when their history no longer reaches
 * that far, hand over a listing ({@link WatchListener#onRelist}); either way the cache ends up complete,
 * and no separate listing can race the watch. The client's watch resumes on another member after a
 * disconnect, and keeps trying while no member answers, so an application that starts before Roster
 * fills its cache once a member appears. The watch has a client of its own, which tries the leader first
 * ({@link LeaderFirst}).
 */
public class RegistryWatch implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RegistryWatch.class);

    private final RosterClient client;
    private final RosterProperties connection;
    private final InstanceCache cache;
    private RosterClient watchClient;
    private volatile Watch watch;

    /**
     * @param client     to find the leader with
     * @param connection the settings of the watch's own client
     */
    public RegistryWatch(RosterClient client, RosterProperties connection, InstanceCache cache) {
        this.client = client;
        this.connection = connection;
        this.cache = cache;
    }

    @Override
    public synchronized void start() {
        if (watch == null) {
            watchClient = RosterClients.create(connection, LeaderFirst.endpoints(client));
            watch = watchClient.watchServices(0L, new CacheUpdates());
        }
    }

    @Override
    public synchronized void stop() {
        if (watch != null) {
            watch.close();
            watchClient.close();
            watch = null;
        }
    }

    @Override
    public boolean isRunning() {
        return watch != null;
    }

    /** Applies each change to the cache on the watch's thread. */
    private final class CacheUpdates implements WatchListener<RegistryEvent, InstanceSnapshot> {

        @Override
        public void onEvent(RegistryEvent event) {
            switch (event.type()) {
                case PUT -> cache.put(serviceInstance(event.instance()), event.revision());
                case DELETE -> cache.remove(event.service(), event.instanceId(), event.revision());
            }
        }

        @Override
        public void onRelist(InstanceSnapshot snapshot) {
            Map<String, List<RosterServiceInstance>> byService = snapshot.instances().stream()
                    .map(RegistryWatch::serviceInstance)
                    .collect(Collectors.groupingBy(RosterServiceInstance::getServiceId));
            cache.replaceAll(byService, snapshot.revision());
        }

        @Override
        public void onFailure(RosterException failure) {
            log.error("Roster refused the registry watch; discovery answers from what it knew at revision {}: {}",
                    cache.revision(), failure.getMessage());
        }
    }

    static RosterServiceInstance serviceInstance(Instance instance) {
        return new RosterServiceInstance(instance.service(), instance.instanceId(), instance.host(), instance.port(),
                instance.secure(), instance.zone(), instance.weight(), instance.status().name(), instance.metadata(),
                instance.modRevision());
    }
}
