package io.roster.client;

/** How many keys a delete removed, and the revision it did so at (the current revision when it removed none). */
public record DeleteResult(int deleted, long revision) {
}
