package io.roster.client;

/** The server ended a watch (an {@code end} event), e.g. because its state was replaced by a snapshot. */
public class WatchEndedException extends RosterClientException {

    public WatchEndedException(String endpoint, String reason) {
        super("the watch was ended by " + endpoint + ": " + reason);
    }
}
