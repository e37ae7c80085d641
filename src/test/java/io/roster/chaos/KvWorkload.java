package io.roster.chaos;

import io.roster.testing.RosterHttp;
import io.roster.testing.RosterHttp.Reply;
import io.roster.testing.history.Entry;
import io.roster.testing.history.History;
import io.roster.testing.history.History.Pending;
import io.roster.testing.history.Operation.Output;
import tools.jackson.databind.JsonNode;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Concurrent clients that put, compare-and-swap, read and delete a few keys through any member, and record
 * every operation with its outcome in a {@link History}. Each put writes a value no other write uses, so a read
 * names the write it saw. An answer that says nothing about whether a write applied (a timeout, a reset, a 503
 * with {@code mayHaveApplied: true}) is recorded as unknown, never guessed.
 */
final class KvWorkload implements AutoCloseable {

    static final String PREFIX = "chaos/";
    /** Longer than the members' request timeout, so that an unavailable cluster answers 503 before the client gives up. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(4);

    private final History history;
    private final Supplier<List<String>> endpoints;
    private final List<String> keys;
    private final String consistency;
    private final long seed;
    private final List<Thread> clients = new ArrayList<>();
    /** Answers that are bugs whatever the faults: a 5xx other than 503, a 4xx the workload never provokes. */
    private final List<String> anomalies = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    /**
     * @param endpoints   the client URLs of the members to spread requests over, asked again before each request
     * @param consistency the read consistency ({@link RosterClient#SERIALIZABLE} reads may be stale), or null for the default
     */
    KvWorkload(History history, Supplier<List<String>> endpoints, int keyCount, String consistency, long seed) {
        this.history = history;
        this.endpoints = endpoints;
        this.consistency = consistency;
        this.seed = seed;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < keyCount; i++) {
            names.add(PREFIX + "k" + i);
        }
        this.keys = List.copyOf(names);
    }

    List<String> keys() {
        return keys;
    }

    List<String> anomalies() {
        return List.copyOf(anomalies);
    }

    KvWorkload start(int clientCount, Duration pause) {
        for (int c = 0; c < clientCount; c++) {
            String name = "c" + c;
            Random random = new Random(seed * 31 + c);
            Thread thread = new Thread(() -> run(name, random, pause), "chaos-" + name);
            thread.setDaemon(true);
            clients.add(thread);
            thread.start();
        }
        return this;
    }

    private void run(String client, Random random, Duration pause) {
        Map<String, Long> lastSeenRevision = new HashMap<>();
        long written = 0;
        while (!stopping) {
            List<String> urls = endpoints.get();
            RosterHttp member = new RosterHttp(urls.get(random.nextInt(urls.size()))).withTimeout(CLIENT_TIMEOUT);
            String key = keys.get(random.nextInt(keys.size()));
            int dice = random.nextInt(100);
            if (dice < 40) {
                read(client, member, key, lastSeenRevision);
            } else if (dice < 70) {
                put(client, member, key, client + "-" + written++);
            } else if (dice < 90) {
                compareAndSwap(client, member, key, client + "-" + written++, lastSeenRevision.getOrDefault(key, 0L), lastSeenRevision);
            } else {
                delete(client, member, key);
            }
            Pacing.pause(pause.toMillis() / 2 + random.nextInt((int) Math.max(1, pause.toMillis())));
        }
    }

    private void read(String client, RosterHttp member, String key, Map<String, Long> lastSeenRevision) {
        Pending pending = history.invokeGet(client, key);
        try {
            Reply response = member.kvGet(key, consistency);
            if (response.status() == 200) {
                long modRevision = response.number("modRevision");
                lastSeenRevision.put(key, modRevision);
                pending.ok(Output.found(response.string("value"), modRevision));
            } else if (response.status() == 404) {
                lastSeenRevision.put(key, 0L);
                pending.ok(Output.absent());
            } else {
                expectUnavailable(member, "GET " + key, response);
                pending.failed();
            }
        } catch (UncheckedIOException e) {
            pending.failed(); // a read that did not answer constrains nothing
        }
    }

    private void put(String client, RosterHttp member, String key, String value) {
        Pending pending = history.invokePut(client, key, value);
        try {
            Reply response = member.kvPut(key, value);
            if (response.status() == 200 || response.status() == 201) {
                pending.ok(Output.written(response.number("modRevision")));
            } else {
                writeRefused(member, "PUT " + key, response, pending);
            }
        } catch (UncheckedIOException e) {
            writeLost(e, pending);
        }
    }

    private void compareAndSwap(String client, RosterHttp member, String key, String value, long prevRevision,
                                Map<String, Long> lastSeenRevision) {
        Pending pending = history.invokeCas(client, key, value, prevRevision);
        try {
            Reply response = member.request("PUT", "/v1/kv/" + key, Map.of("value", value, "prevRevision", prevRevision));
            if (response.status() == 200 || response.status() == 201) {
                long modRevision = response.number("modRevision");
                lastSeenRevision.put(key, modRevision);
                pending.ok(Output.written(modRevision));
            } else if (response.status() == 409) {
                JsonNode current = response.json().path("current");
                Entry entry = current.isObject() ? new Entry(current.path("value").asString(), current.path("modRevision").asLong()) : null;
                lastSeenRevision.put(key, entry == null ? 0L : entry.modRevision());
                pending.ok(Output.conflict(entry));
            } else {
                writeRefused(member, "CAS " + key, response, pending);
            }
        } catch (UncheckedIOException e) {
            writeLost(e, pending);
        }
    }

    private void delete(String client, RosterHttp member, String key) {
        Pending pending = history.invokeDelete(client, key);
        try {
            Reply response = member.kvDelete(key);
            if (response.status() == 200) {
                pending.ok(Output.deleted((int) response.number("deleted"), response.number("revision")));
            } else {
                writeRefused(member, "DELETE " + key, response, pending);
            }
        } catch (UncheckedIOException e) {
            writeLost(e, pending);
        }
    }

    /** A write answered with an error: only a 503 or a 410 is expected under faults; a 503 says whether the write may have applied. */
    private void writeRefused(RosterHttp member, String request, Reply response, Pending pending) {
        expectUnavailable(member, request, response);
        if (response.status() == 503 && response.json().path("mayHaveApplied").asBoolean(true)) {
            pending.unknown();
        } else if (response.status() >= 500 && response.status() != 503) {
            pending.unknown();
        } else {
            pending.failed();
        }
    }

    /** A refused connection never carried the request; anything else (timeout, reset) may have come after it arrived. */
    private static void writeLost(UncheckedIOException e, Pending pending) {
        if (e.getCause() instanceof ConnectException) {
            pending.failed();
        } else {
            pending.unknown();
        }
    }

    /** 503: the cluster could not serve in time. 410: the member was removed and refuses every request before it acts on it. */
    private void expectUnavailable(RosterHttp member, String request, Reply response) {
        if (response.status() != 503 && response.status() != 410) {
            anomalies.add(request + " via " + member.baseUrl() + " answered " + response);
        }
    }

    /** Stops the clients and waits for their last requests, so that nothing is left invoked and running. */
    @Override
    public void close() {
        stopping = true;
        for (Thread client : clients) {
            try {
                client.join(CLIENT_TIMEOUT.multipliedBy(3).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
