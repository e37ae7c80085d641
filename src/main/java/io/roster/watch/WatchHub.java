package io.roster.watch;

import io.roster.store.KeyEvent;
import io.roster.store.RosterStore;
import io.roster.store.StoreListener;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Committed key events in revision order: a bounded history to resume from, and live delivery to
 * subscribers. Fed on the apply thread, it never blocks it: each subscriber has its own bounded queue,
 * drained on another executor, and a subscriber that falls too far behind is ended (it resumes from the
 * last revision it saw).
 */
public final class WatchHub implements StoreListener {

    private final RosterStore store;
    private final int historyCapacity;
    private final int subscriberQueueCapacity;
    private final Executor delivery;
    private final ArrayDeque<KeyEvent> history = new ArrayDeque<>();
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    /** Events at or below this revision may be missing from the history. */
    private long compactedRevision;
    private long latestRevision;

    public WatchHub(RosterStore store, int historyCapacity, int subscriberQueueCapacity, Executor delivery) {
        this.store = store;
        this.historyCapacity = historyCapacity;
        this.subscriberQueueCapacity = subscriberQueueCapacity;
        this.delivery = delivery;
        this.compactedRevision = store.revision();
        this.latestRevision = store.revision();
    }

    @Override
    public void onKeyEvents(List<KeyEvent> events) {
        synchronized (this) {
            for (KeyEvent event : events) {
                history.addLast(event);
                latestRevision = Math.max(latestRevision, event.revision());
            }
            trim();
            for (Subscription subscription : subscriptions) {
                subscription.offer(events);
            }
        }
    }

    /** Drops whole revisions from the front, so that a revision is either fully retained or fully gone. */
    private void trim() {
        while (history.size() > historyCapacity) {
            long dropped = history.removeFirst().revision();
            while (!history.isEmpty() && history.peekFirst().revision() == dropped) {
                history.removeFirst();
            }
            compactedRevision = dropped;
        }
    }

    @Override
    public void onReset() {
        List<Subscription> ended;
        synchronized (this) {
            history.clear();
            compactedRevision = store.revision();
            latestRevision = compactedRevision;
            ended = new ArrayList<>(subscriptions);
            subscriptions.clear();
        }
        // A snapshot replaced the state: nobody can resume across it without listing again.
        ended.forEach(subscription -> subscription.end(new RevisionCompactedException(
                subscription.lastRevision(), compactedRevision, compactedRevision)));
    }

    /**
     * Delivers every event under {@code prefix} after {@code afterRevision} (history first, then live, with
     * no gap and no duplicate) to {@code sink}, until the subscription is closed or ended.
     *
     * @param afterRevision the last revision the caller has seen, or a negative number for "from now"
     * @throws RevisionCompactedException when events after {@code afterRevision} are no longer retained
     */
    public Subscription subscribe(String prefix, long afterRevision, WatchSink sink) {
        Subscription subscription;
        synchronized (this) {
            long from = afterRevision < 0 ? latestRevision : afterRevision;
            requireRetained(from);
            subscription = new Subscription(this, prefix, from, sink, subscriberQueueCapacity, delivery);
            List<KeyEvent> replay = new ArrayList<>();
            for (KeyEvent event : history) {
                if (event.revision() > from) {
                    replay.add(event);
                }
            }
            subscription.offer(replay);
            subscriptions.add(subscription);
        }
        return subscription;
    }

    /**
     * Completes with the revision of the first event under {@code prefix} after {@code afterRevision}
     * (at once if the history has one), or with empty when nothing changed before the future is cancelled
     * or completed by the caller's timeout.
     */
    public CompletableFuture<Long> nextChange(String prefix, long afterRevision) {
        CompletableFuture<Long> change = new CompletableFuture<>();
        Subscription subscription;
        try {
            subscription = subscribe(prefix, afterRevision, new WatchSink() {
                @Override
                public void onEvents(List<KeyEvent> events) {
                    change.complete(events.get(0).revision());
                }

                @Override
                public void onEnd(RuntimeException reason) {
                    change.complete(null);
                }
            });
        } catch (RevisionCompactedException e) {
            // Too old to tell what changed: answer with the current state now.
            change.complete(latestRevision());
            return change;
        }
        change.whenComplete((revision, error) -> subscription.close());
        return change;
    }

    private void requireRetained(long afterRevision) {
        // Revision 1 is the empty store: nothing can be missing before it.
        if (Math.max(afterRevision, RosterStore.INITIAL_REVISION) < compactedRevision) {
            throw new RevisionCompactedException(afterRevision, compactedRevision, latestRevision);
        }
    }

    public synchronized long latestRevision() {
        return latestRevision;
    }

    public synchronized long compactedRevision() {
        return compactedRevision;
    }

    public int subscriberCount() {
        return subscriptions.size();
    }

    void remove(Subscription subscription) {
        subscriptions.remove(subscription);
    }
}
