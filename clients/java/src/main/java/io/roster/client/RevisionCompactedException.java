package io.roster.client;

/**
 * 410: a watch was asked to start from a revision older than the history the members keep
 * ({@code roster.watch.history-events}). List again at {@link #currentRevision()}, then watch from there;
 * the client's watches do that by themselves (see {@link WatchListener#onRelist}).
 */
public class RevisionCompactedException extends RosterServerException {

    private final long currentRevision;
    private final long compactedRevision;

    public RevisionCompactedException(String endpoint, Problem problem, long currentRevision, long compactedRevision) {
        super(endpoint, problem);
        this.currentRevision = currentRevision;
        this.compactedRevision = compactedRevision;
    }

    public long currentRevision() {
        return currentRevision;
    }

    /** The oldest revision the history no longer covers. */
    public long compactedRevision() {
        return compactedRevision;
    }
}
