package io.roster.testing.net;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The faults of a cluster's links, one per direction (ordered pair of names), shared by all its {@link LinkProxy}s.
 * A change takes effect at once, on open connections too: proxies check the rule for every chunk they forward and
 * are told of each change.
 */
public final class Network {

    private record Direction(String from, String to) {
        @Override
        public String toString() {
            return from + "->" + to;
        }
    }

    private final Set<String> names;
    private final Map<Direction, Fault> faults = new ConcurrentHashMap<>();
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();

    /** @param names the members and clients; rules may name these and {@link SourceResolver#UNKNOWN} */
    public Network(Collection<String> names) {
        this.names = Collections.unmodifiableSet(new LinkedHashSet<>(names));
    }

    public static Network of(String... names) {
        return new Network(List.of(names));
    }

    public Set<String> names() {
        return names;
    }

    public void cut(String from, String to) {
        set(from, to, Fault.CUT);
    }

    public void drop(String from, String to) {
        set(from, to, Fault.DROP);
    }

    public void delay(String from, String to, Duration delay) {
        set(from, to, Fault.delay(delay));
    }

    /** Replaces the fault of one direction. */
    public void set(String from, String to, Fault fault) {
        faults.put(direction(from, to), fault);
        changed();
    }

    public void heal(String from, String to) {
        faults.remove(direction(from, to));
        changed();
    }

    public void healAll() {
        faults.clear();
        changed();
    }

    /** Cuts both directions between {@code name} and every other name. */
    public void isolate(String name) {
        isolate(name, Fault.CUT);
    }

    public void isolate(String name, Fault fault) {
        Set<String> others = new LinkedHashSet<>(names);
        others.remove(name);
        partition(Set.of(name), others, fault);
    }

    /** Cuts both directions between every name of {@code a} and every name of {@code b}. */
    public void partition(Set<String> a, Set<String> b) {
        partition(a, b, Fault.CUT);
    }

    public void partition(Set<String> a, Set<String> b, Fault fault) {
        for (String x : a) {
            for (String y : b) {
                faults.put(direction(x, y), fault);
                faults.put(direction(y, x), fault);
            }
        }
        changed();
    }

    public Optional<Fault> faultOf(String from, String to) {
        return Optional.ofNullable(faults.get(new Direction(from, to)));
    }

    /** A connection needs both directions, so a cut of either takes it down. */
    boolean isCutEitherWay(String a, String b) {
        return isCut(new Direction(a, b)) || isCut(new Direction(b, a));
    }

    private boolean isCut(Direction direction) {
        Fault fault = faults.get(direction);
        return fault != null && fault.kind() == Fault.Kind.CUT;
    }

    void addChangeListener(Runnable listener) {
        changeListeners.add(listener);
    }

    void removeChangeListener(Runnable listener) {
        changeListeners.remove(listener);
    }

    private Direction direction(String from, String to) {
        requireKnown(from);
        requireKnown(to);
        if (from.equals(to)) {
            throw new IllegalArgumentException("a link needs two ends, got " + from + " twice");
        }
        return new Direction(from, to);
    }

    // A misspelt name would otherwise make a rule that silently never applies.
    private void requireKnown(String name) {
        if (!names.contains(name) && !SourceResolver.UNKNOWN.equals(name)) {
            throw new IllegalArgumentException("unknown name " + name + ", expected one of " + names);
        }
    }

    private void changed() {
        changeListeners.forEach(Runnable::run);
    }

    @Override
    public String toString() {
        String rules = faults.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .sorted()
                .collect(Collectors.joining(", "));
        return "Network" + names + " {" + (rules.isEmpty() ? "healthy" : rules) + "}";
    }
}
