package io.roster.testing.history;

import java.util.ArrayList;
import java.util.List;

/**
 * What one watcher received, in order: events, and the points where it (re)connected to watch changes after a
 * revision, as {@code ?revision=N} asks. Thread-safe, so a watch thread can record while the test reads.
 */
public final class WatchLog {

    public enum EventType { PUT, DELETE }

    /** An event or a (re)connection, in the order the watcher saw them. */
    public sealed interface Item permits Event, Resumed {
    }

    /** @param value the value written, null for a DELETE */
    public record Event(long revision, String key, EventType type, String value) implements Item {
    }

    /** The watcher (re)connected, asking for the changes after {@code afterRevision}. */
    public record Resumed(long afterRevision) implements Item {
    }

    private final String watcher;
    private final String prefix;
    private final List<Item> items = new ArrayList<>();

    /** @param prefix the key prefix the watcher watches ("" for every key) */
    public WatchLog(String watcher, String prefix) {
        this.watcher = watcher;
        this.prefix = prefix;
    }

    public String watcher() {
        return watcher;
    }

    public String prefix() {
        return prefix;
    }

    public synchronized void event(long revision, String key, EventType type, String value) {
        items.add(new Event(revision, key, type, value));
    }

    public synchronized void resumedAfter(long revision) {
        items.add(new Resumed(revision));
    }

    public synchronized List<Item> items() {
        return List.copyOf(items);
    }

    List<Event> events() {
        return items().stream().filter(Event.class::isInstance).map(Event.class::cast).toList();
    }
}
