package io.roster.testing.history;

import io.roster.testing.history.Operation.Kind;
import io.roster.testing.history.Operation.Outcome;
import io.roster.testing.history.WatchLog.Event;
import io.roster.testing.history.WatchLog.EventType;
import io.roster.testing.history.WatchLog.Item;
import io.roster.testing.history.WatchLog.Resumed;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks what watchers received against each other and against the history of writes, each check returning
 * human-readable violations (empty when it holds). Assumes every write under the watched prefixes is in the history,
 * each writes a value unique in the history, and each change has a revision of its own (no prefix deletes).
 */
public final class WatchChecks {

    private record Sighting(String watcher, Event event) {
    }

    private WatchChecks() {
    }

    /** All the checks below, for every watcher. */
    public static List<String> all(List<Operation> history, Collection<WatchLog> logs) {
        List<String> violations = new ArrayList<>();
        logs.forEach(log -> violations.addAll(revisionsIncrease(log)));
        violations.addAll(eventsMatchHistory(history, logs));
        logs.forEach(log -> violations.addAll(noMissedEvents(history, log, logs)));
        return violations;
    }

    /** Each event's revision is above the previous event's and above the revision the watcher resumed after. */
    public static List<String> revisionsIncrease(WatchLog log) {
        List<String> violations = new ArrayList<>();
        long last = Long.MIN_VALUE;
        long resumedAfter = Long.MIN_VALUE;
        for (Item item : log.items()) {
            if (item instanceof Resumed resumed) {
                resumedAfter = resumed.afterRevision();
            } else if (item instanceof Event event) {
                if (event.revision() == last) {
                    violations.add(log.watcher() + ": repeated event at revision " + event.revision() + ": " + event);
                } else if (event.revision() < last) {
                    violations.add(log.watcher() + ": event out of order, revision " + event.revision() + " after "
                            + last + ": " + event);
                } else if (event.revision() <= resumedAfter) {
                    violations.add(log.watcher() + ": resumed after revision " + resumedAfter
                            + " but received revision " + event.revision() + ": " + event);
                }
                last = Math.max(last, event.revision());
            }
        }
        return violations;
    }

    /**
     * Every event is a change the history could have made: the key is under the watcher's prefix; a PUT's value was
     * written to that key by a write that did not FAIL, and at the revision it was acknowledged with; a DELETE is
     * of a key some delete that did not FAIL targeted; an acknowledged change's revision shows that change; and all
     * watchers that saw a revision saw the same change.
     */
    public static List<String> eventsMatchHistory(List<Operation> history, Collection<WatchLog> logs) {
        OperationFormat format = OperationFormat.startingAtFirstInvocation(history);
        Map<String, Operation> writesByValue = new HashMap<>();
        Map<Long, Operation> acknowledgedByRevision = new HashMap<>();
        Set<String> deletableKeys = new HashSet<>();
        for (Operation operation : history) {
            if (operation.writesValue()) {
                writesByValue.put(operation.value(), operation);
            }
            if (operation.kind() == Kind.DELETE && operation.outcome() != Outcome.FAILED) {
                deletableKeys.add(operation.key());
            }
            if (operation.acknowledgedChange()) {
                acknowledgedByRevision.put(operation.output().revision(), operation);
            }
        }
        List<String> violations = new ArrayList<>();
        Map<Long, Sighting> firstSeen = new HashMap<>();
        for (WatchLog log : logs) {
            for (Event event : log.events()) {
                String where = log.watcher() + " at revision " + event.revision() + ": " + event;
                if (!event.key().startsWith(log.prefix())) {
                    violations.add(where + " is outside the watched prefix " + log.prefix());
                }
                if (event.type() == EventType.PUT) {
                    Operation write = writesByValue.get(event.value());
                    if (write == null || !write.key().equals(event.key())) {
                        violations.add(where + " shows a value no write in the history wrote to that key");
                    } else if (write.outcome() == Outcome.FAILED) {
                        violations.add(where + " shows the value of a FAILED write " + format.describe(write));
                    }
                } else if (!deletableKeys.contains(event.key())) {
                    violations.add(where + " deletes a key no delete in the history targeted");
                }
                Operation acknowledged = acknowledgedByRevision.get(event.revision());
                if (acknowledged != null && !shows(event, acknowledged)) {
                    violations.add(where + " but revision " + event.revision() + " was acknowledged to "
                            + format.describe(acknowledged));
                }
                Sighting before = firstSeen.putIfAbsent(event.revision(), new Sighting(log.watcher(), event));
                if (before != null && !before.event().equals(event)) {
                    violations.add("watchers disagree at revision " + event.revision() + ": " + before.watcher()
                            + " saw " + before.event() + ", " + log.watcher() + " saw " + event);
                }
            }
        }
        return violations;
    }

    private static boolean shows(Event event, Operation change) {
        if (!event.key().equals(change.key())) {
            return false;
        }
        return change.kind() == Kind.DELETE
                ? event.type() == EventType.DELETE
                : event.type() == EventType.PUT && change.value().equals(event.value());
    }

    /**
     * The watcher saw every change under its prefix whose revision lies between the first revision it watched (the
     * one after its first resume point, else its first event) and the last revision it received: every acknowledged
     * change, and every change another watcher saw (which covers UNKNOWN writes that did apply).
     */
    public static List<String> noMissedEvents(List<Operation> history, WatchLog log, Collection<WatchLog> allLogs) {
        List<Item> items = log.items();
        List<Event> events = log.events();
        if (events.isEmpty()) {
            return List.of();
        }
        long from = items.get(0) instanceof Resumed start ? start.afterRevision() + 1 : events.get(0).revision();
        long to = events.stream().mapToLong(Event::revision).max().orElseThrow();
        Set<Long> seen = new HashSet<>();
        events.forEach(event -> seen.add(event.revision()));
        OperationFormat format = OperationFormat.startingAtFirstInvocation(history);
        Map<Long, String> missed = new TreeMap<>();
        for (Operation operation : history) {
            if (operation.acknowledgedChange() && operation.key().startsWith(log.prefix())) {
                missed.put(operation.output().revision(), format.describe(operation));
            }
        }
        for (WatchLog other : allLogs) {
            for (Event event : other.events()) {
                if (event.key().startsWith(log.prefix())) {
                    missed.putIfAbsent(event.revision(), other.watcher() + " saw " + event);
                }
            }
        }
        List<String> violations = new ArrayList<>();
        missed.forEach((revision, change) -> {
            if (revision >= from && revision <= to && !seen.contains(revision)) {
                violations.add(log.watcher() + " missed revision " + revision + ": " + change);
            }
        });
        return violations;
    }
}
