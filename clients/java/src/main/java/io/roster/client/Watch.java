package io.roster.client;

/** A running watch. Closing it stops its thread; no event is delivered after {@link #close()} returns. */
public interface Watch extends AutoCloseable {

    /** The revision of the last change delivered (or listed), from which the watch resumes after a disconnect. */
    long lastRevision();

    /** False once closed or failed. */
    boolean isActive();

    @Override
    void close();
}
