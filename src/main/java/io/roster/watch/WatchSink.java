package io.roster.watch;

import io.roster.store.KeyEvent;

import java.util.List;

/** Receives a subscription's events, in revision order, on a delivery thread (never the apply thread). */
public interface WatchSink {

    void onEvents(List<KeyEvent> events);

    /** The hub ended the subscription: it fell behind, or a snapshot replaced the state. */
    void onEnd(RuntimeException reason);
}
