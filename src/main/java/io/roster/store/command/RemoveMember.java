package io.roster.store.command;

/** Removes a member; its id is remembered so that a node still holding its data dir cannot rejoin. */
public record RemoveMember(long id) implements Command {
}
