package io.roster.client;

/**
 * Receives a watch's changes, in revision order, on the watch's own thread (one per watch; a slow listener
 * delays only its watch).
 *
 * @param <E> the event: {@link KeyEvent} or {@link RegistryEvent}
 * @param <S> the state listed again when the history was compacted: {@link RangeResult} or {@link InstanceSnapshot}
 */
public interface WatchListener<E, S> {

    /** One change; its revision is greater than any delivered before. */
    void onEvent(E event);

    /**
     * The members no longer hold the changes after the last revision this watch delivered (410 Revision
     * compacted, or a member's state replaced by a snapshot): {@code snapshot} is the whole watched state,
     * listed again; replace what was built from earlier events with it. Events after its revision follow.
     */
    void onRelist(S snapshot);

    /**
     * The watch stopped for good, not by {@link Watch#close()}: a member refused it (e.g. 401, 400), or the
     * listener threw. Connection failures never end a watch (unless {@link #failFast()}); it keeps resuming
     * on the next endpoint.
     */
    default void onFailure(RosterException failure) {
    }

    /**
     * False (the default): the watch heals, as a long-running application wants. True: it reports instead, as
     * a one-shot tool such as rosterctl wants: a compacted history ({@link RevisionCompactedException}), an
     * {@code end} event ({@link WatchEndedException}) or a whole round of endpoints failing
     * ({@link NoEndpointAvailableException}, naming each) ends the watch through {@link #onFailure}, and
     * {@link #onRelist} is never called.
     */
    default boolean failFast() {
        return false;
    }
}
