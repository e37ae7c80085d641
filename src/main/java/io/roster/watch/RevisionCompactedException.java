package io.roster.watch;

/**
 * A watch asked to resume from a revision older than the retained history: the client must list again
 * at {@code currentRevision} and watch from there (HTTP 410 Gone).
 */
public class RevisionCompactedException extends RuntimeException {

    private final long compactedRevision;
    private final long currentRevision;

    public RevisionCompactedException(long requestedRevision, long compactedRevision, long currentRevision) {
        super("revision " + requestedRevision + " is older than the retained history (events up to revision "
                + compactedRevision + " are gone); list again at revision " + currentRevision + " and watch from there");
        this.compactedRevision = compactedRevision;
        this.currentRevision = currentRevision;
    }

    public long compactedRevision() {
        return compactedRevision;
    }

    public long currentRevision() {
        return currentRevision;
    }
}
