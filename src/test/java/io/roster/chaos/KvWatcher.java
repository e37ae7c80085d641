package io.roster.chaos;

import io.roster.testing.EventStream;
import io.roster.testing.RosterHttp;
import io.roster.testing.history.WatchLog;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Watches the workload's keys as a client would: a Server-Sent Events stream from one member and, whenever it
 * ends or cannot be opened, a new one from another member that resumes after the last revision seen. Every
 * event and every resumption goes to a {@link WatchLog}, for the checks to compare with the history.
 */
final class KvWatcher implements AutoCloseable {

    private final WatchLog log;
    private final Supplier<List<String>> endpoints;
    private final Random random;
    private final Thread thread;
    private volatile long lastRevision;
    private volatile EventStream stream;
    private volatile boolean closed;

    KvWatcher(String name, Supplier<List<String>> endpoints, long afterRevision, long seed) {
        this.log = new WatchLog(name, KvWorkload.PREFIX);
        this.endpoints = endpoints;
        this.random = new Random(seed);
        this.lastRevision = afterRevision;
        this.thread = new Thread(this::watch, "chaos-watch-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    WatchLog log() {
        return log;
    }

    long lastRevision() {
        return lastRevision;
    }

    private void watch() {
        while (!closed) {
            List<String> urls = endpoints.get();
            RosterHttp member = new RosterHttp(urls.get(random.nextInt(urls.size())));
            log.resumedAfter(lastRevision);
            try {
                stream = member.events("/v1/watch/kv/" + KvWorkload.PREFIX + "?prefix=true&revision=" + lastRevision);
                if (stream.status() == 200) {
                    follow(stream);
                }
            } catch (RuntimeException unreachable) {
                // The member is down or cut off: try another.
            } finally {
                if (stream != null) {
                    stream.close();
                }
            }
            Pacing.pause(100);
        }
    }

    private void follow(EventStream events) {
        int seen = 0;
        while (!closed) {
            List<EventStream.Event> received = events.events();
            for (; seen < received.size(); seen++) {
                EventStream.Event event = received.get(seen);
                if (event.name() != null && !event.name().isEmpty() && !"message".equals(event.name())) {
                    continue; // not a key event (the server ending the stream says why)
                }
                JsonNode data = event.data();
                long revision = data.path("revision").asLong();
                WatchLog.EventType type = WatchLog.EventType.valueOf(data.path("type").asString());
                log.event(revision, data.path("key").asString(), type, type == WatchLog.EventType.PUT ? data.path("value").asString() : null);
                lastRevision = revision;
            }
            if (events.ended() && seen == events.events().size()) {
                return;
            }
            Pacing.pause(20);
        }
    }

    @Override
    public void close() {
        closed = true;
        EventStream current = stream;
        if (current != null) {
            current.close();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
