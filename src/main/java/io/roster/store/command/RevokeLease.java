package io.roster.store.command;

/** Removes a lease and deletes every key bound to it, at one revision. */
public record RevokeLease(long id, boolean expired) implements Command {
}
