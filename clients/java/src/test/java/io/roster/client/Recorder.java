package io.roster.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A watch listener that keeps what it is given, for tests to await and inspect. */
final class Recorder<E, S> implements WatchListener<E, S> {

    final List<E> events = new CopyOnWriteArrayList<>();
    final List<S> relists = new CopyOnWriteArrayList<>();
    final List<RosterException> failures = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(E event) {
        events.add(event);
    }

    @Override
    public void onRelist(S snapshot) {
        relists.add(snapshot);
    }

    @Override
    public void onFailure(RosterException failure) {
        failures.add(failure);
    }
}
