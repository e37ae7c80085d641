package io.roster.cloud.config;

import io.roster.client.KeyEvent;
import io.roster.client.RangeResult;
import io.roster.client.RosterClient;
import io.roster.client.RosterException;
import io.roster.client.Watch;
import io.roster.client.WatchListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.endpoint.event.RefreshEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches each imported prefix from the revision it was loaded at and publishes a {@link RefreshEvent} on
 * every change, so Spring Cloud reloads the {@code roster:} imports, rebinds {@code @ConfigurationProperties}
 * and rebuilds {@code @RefreshScope} beans. A prefix that could not be loaded at startup is watched from
 * revision 0: once a member answers, its history (or, when compacted, a listing) triggers the refresh that
 * loads it.
 * <p>
 * The watches start when the application is ready, from the revisions loaded at startup: Spring Cloud ignores
 * refresh events until then, so a change made while the application starts is delivered (from the members'
 * history) once a refresh can apply it.
 * <p>
 * Changes are coalesced: a refresh waits {@value #COALESCE_MILLIS} ms for the rest of a burst (a deployment
 * putting twenty keys) and then reloads them all, on a thread of its own, so that a burst costs one or two
 * refreshes rather than one per key, and the watches never wait for a refresh.
 */
public class ConfigWatch implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ConfigWatch.class);

    private final RosterClient client;
    private final RosterConfigImports imports;
    private final ApplicationEventPublisher events;
    private static final long COALESCE_MILLIS = 50;

    private final List<Watch> watches = new ArrayList<>();
    private final AtomicBoolean refreshPending = new AtomicBoolean();
    private final ScheduledExecutorService refreshes = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "roster-config-refresh");
        thread.setDaemon(true);
        return thread;
    });

    public ConfigWatch(RosterClient client, RosterConfigImports imports, ApplicationEventPublisher events) {
        this.client = client;
        this.imports = imports;
        this.events = events;
    }

    @Override
    public synchronized void onApplicationEvent(ApplicationReadyEvent ready) {
        if (!watches.isEmpty()) {
            return;
        }
        for (Map.Entry<KeyPrefix, Long> imported : imports.prefixes().entrySet()) {
            long after = Math.max(0, imported.getValue());
            watches.add(client.watchPrefix(imported.getKey().value(), after, new RefreshOnChange(imported.getKey())));
        }
    }

    @Override
    public synchronized void destroy() {
        watches.forEach(Watch::close);
        watches.clear();
        refreshes.shutdownNow();
    }

    /** Refreshes soon, once for all the changes that arrive until then. */
    private void refreshSoon(Object change, String description) {
        if (refreshPending.compareAndSet(false, true)) {
            refreshes.schedule(() -> {
                refreshPending.set(false); // a change from now on gets a refresh of its own
                events.publishEvent(new RefreshEvent(this, change, description));
            }, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Whether the prefixes are being watched (from the moment the application is ready). */
    public synchronized boolean isWatching() {
        return !watches.isEmpty();
    }

    private final class RefreshOnChange implements WatchListener<KeyEvent, RangeResult> {

        private final KeyPrefix prefix;

        RefreshOnChange(KeyPrefix prefix) {
            this.prefix = prefix;
        }

        @Override
        public void onEvent(KeyEvent event) {
            refreshSoon(event, "Roster key " + event.key() + " changed");
        }

        @Override
        public void onRelist(RangeResult keys) {
            refreshSoon(keys, "Roster keys under " + prefix + " listed again");
        }

        @Override
        public void onFailure(RosterException failure) {
            log.error("Roster refused the watch of {}; its properties no longer follow changes: {}", prefix,
                    failure.getMessage());
        }
    }
}
