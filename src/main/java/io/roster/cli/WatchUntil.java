package io.roster.cli;

import io.roster.client.RosterException;
import io.roster.client.Watch;
import io.roster.client.WatchListener;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * A watch as a command runs it: prints each event until {@code --count} events (or for ever), and reports
 * rather than heals, as etcdctl does: a compacted history, an ended stream or a round of endpoints that all
 * failed ends the command with that error.
 */
final class WatchUntil<E, S> implements WatchListener<E, S> {

    private final Integer count;
    private final Consumer<E> print;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private int seen;

    /** @param count stop after this many events, or null for never */
    WatchUntil(Integer count, Consumer<E> print) {
        this.count = count;
        this.print = print;
    }

    @Override
    public void onEvent(E event) {
        if (done.isDone()) {
            return;
        }
        print.accept(event);
        seen++;
        if (count != null && seen >= count) {
            done.complete(null);
        }
    }

    /** Never called: the watch fails fast instead. */
    @Override
    public void onRelist(S snapshot) {
        throw new IllegalStateException("a fail-fast watch does not list again");
    }

    @Override
    public void onFailure(RosterException failure) {
        done.completeExceptionally(failure);
    }

    @Override
    public boolean failFast() {
        return true;
    }

    /** Blocks until the watch has printed its events or failed; closes it either way. */
    void await(Watch watch) {
        try (watch) {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw (RosterException) e.getCause();
        }
    }
}
