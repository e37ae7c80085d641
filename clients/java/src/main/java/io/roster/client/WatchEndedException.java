package io.roster.client;

/**
 * A member ended a fail-fast watch (an {@code end} event), e.g. because its state was replaced by a snapshot
 * and the history the watch follows is gone. A healing watch lists again instead (see {@link WatchListener}).
 */
public class WatchEndedException extends RosterException {

    public WatchEndedException(String endpoint, String reason) {
        super("the watch was ended by " + endpoint + ": " + reason);
    }
}
