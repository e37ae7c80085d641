package io.roster.scenarios;

import io.roster.client.ClusterUnavailableException;
import io.roster.client.KeyValueResult;
import io.roster.client.RosterClient;
import io.roster.client.RosterException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A stream of writes of new keys, one after another, through a client of the whole cluster, as an application
 * would send them: what the cluster acknowledged must be on every member afterwards. A write whose outcome is
 * unknown (the cluster unavailable, {@code mayHaveApplied}) is allowed either way; any other refusal is a bug.
 */
final class Writes implements AutoCloseable {

    private final String prefix;
    private final Supplier<RosterClient> clients;
    private final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stopped;

    /** @param clients a new client of the members that run now; asked again after the cluster became unavailable */
    Writes(String prefix, Supplier<RosterClient> clients) {
        this.prefix = prefix;
        this.clients = clients;
        this.thread = new Thread(this::run, "scenario-writes-" + prefix);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        RosterClient client = clients.get();
        try {
            while (!stopped) {
                String key = prefix + sent.incrementAndGet();
                try {
                    KeyValueResult result = client.put(key, key);
                    acknowledged.put(key, result.kv().modRevision());
                } catch (ClusterUnavailableException unavailable) {
                    // Unknown outcome, or nothing applied: both allowed while members come and go. Members may have
                    // changed too: follow them.
                    client.close();
                    client = clients.get();
                } catch (RosterException refused) {
                    unexpected.add(key + ": " + refused);
                }
            }
        } finally {
            client.close();
        }
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    /** Every acknowledged key, with the revision it was written at. */
    Map<String, Long> acknowledged() {
        return Map.copyOf(acknowledged);
    }

    /** Answers that are neither an acknowledgement nor an unavailable cluster. */
    List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
