package io.roster.store.command;

/** Creates a lease; the proposer picks the id so that every replica agrees on it. */
public record GrantLease(long id, long ttlSeconds) implements Command {
}
