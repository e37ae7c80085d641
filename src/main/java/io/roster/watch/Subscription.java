package io.roster.watch;

import io.roster.store.KeyEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** One watcher's queue: filled by the hub, drained in order on the delivery executor. */
public final class Subscription implements AutoCloseable {

    private final WatchHub hub;
    private final String prefix;
    private final WatchSink sink;
    private final int capacity;
    private final Executor delivery;
    private final ConcurrentLinkedQueue<KeyEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long lastRevision;
    /** The revision the watcher has seen up to when it subscribed. */
    private final long startAfter;
    private volatile RuntimeException endReason;

    Subscription(WatchHub hub, String prefix, long afterRevision, WatchSink sink, int capacity, Executor delivery) {
        this.hub = hub;
        this.prefix = prefix;
        this.sink = sink;
        this.capacity = capacity;
        this.delivery = delivery;
        this.lastRevision = afterRevision;
        this.startAfter = afterRevision;
    }

    /** Called by the hub with its lock held, so offers arrive in revision order. */
    void offer(List<KeyEvent> events) {
        if (closed.get()) {
            return;
        }
        int added = 0;
        for (KeyEvent event : events) {
            // A member that is behind (catching up, or added back on an empty data dir) applies revisions the
            // watcher has already seen: it asked only for those after its start.
            if (event.revision() > startAfter && event.kv().key().startsWith(prefix)) {
                queue.add(event);
                added++;
            }
        }
        if (added == 0) {
            return;
        }
        if (queued.addAndGet(added) > capacity) {
            end(new IllegalStateException("the watcher fell more than " + capacity
                    + " events behind; resume from the last revision it received"));
            return;
        }
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (draining.compareAndSet(false, true)) {
            delivery.execute(this::drain);
        }
    }

    private void drain() {
        try {
            while (!closed.get()) {
                List<KeyEvent> batch = new ArrayList<>();
                KeyEvent event;
                while (batch.size() < 256 && (event = queue.poll()) != null) {
                    batch.add(event);
                }
                if (batch.isEmpty()) {
                    break;
                }
                queued.addAndGet(-batch.size());
                lastRevision = batch.get(batch.size() - 1).revision();
                sink.onEvents(batch);
            }
        } catch (RuntimeException e) {
            close();
        } finally {
            draining.set(false);
        }
        if (!queue.isEmpty() && !closed.get()) {
            scheduleDrain();
        }
        RuntimeException reason = endReason;
        if (reason != null && queue.isEmpty()) {
            finish(reason);
        }
    }

    /**
     * Ends the subscription after delivering what it already queued. The reason is recorded before the
     * drain is scheduled, so a drain already running sees it when it empties the queue.
     */
    void end(RuntimeException reason) {
        hub.remove(this);
        endReason = reason;
        scheduleDrain();
    }

    private void finish(RuntimeException reason) {
        if (closed.compareAndSet(false, true)) {
            queue.clear();
            sink.onEnd(reason);
        }
    }

    /** The revision of the last event delivered (or the revision the subscription started after). */
    public long lastRevision() {
        return lastRevision;
    }

    @Override
    public void close() {
        closed.set(true);
        hub.remove(this);
        queue.clear();
    }
}
