package io.roster.registry;

import io.roster.store.KeyEvent;
import io.roster.store.KeyValue;
import io.roster.store.RosterStore;
import io.roster.store.StoreListener;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Instance and service counts, kept up to date from committed events so that reading them costs nothing. */
public final class RegistryStats implements StoreListener {

    private final RosterStore store;
    private final Map<String, AtomicInteger> instancesByService = new ConcurrentHashMap<>();
    private final AtomicInteger instances = new AtomicInteger();

    public RegistryStats(RosterStore store) {
        this.store = store;
        onReset();
    }

    @Override
    public void onKeyEvents(List<KeyEvent> events) {
        for (KeyEvent event : events) {
            String service = RegistryKeys.serviceOf(event.kv().key());
            if (service == null) {
                continue;
            }
            if (event.type() == KeyEvent.Type.PUT && event.previous() == null) {
                instancesByService.computeIfAbsent(service, name -> new AtomicInteger()).incrementAndGet();
                instances.incrementAndGet();
            } else if (event.type() == KeyEvent.Type.DELETE) {
                instancesByService.computeIfPresent(service, (name, count) -> count.decrementAndGet() == 0 ? null : count);
                instances.decrementAndGet();
            }
        }
    }

    @Override
    public synchronized void onReset() {
        instancesByService.clear();
        int total = 0;
        for (KeyValue kv : store.range(RegistryKeys.PREFIX, 0).kvs()) {
            instancesByService.computeIfAbsent(RegistryKeys.serviceOf(kv.key()), name -> new AtomicInteger()).incrementAndGet();
            total++;
        }
        instances.set(total);
    }

    public int instances() {
        return instances.get();
    }

    public int services() {
        return instancesByService.size();
    }
}
