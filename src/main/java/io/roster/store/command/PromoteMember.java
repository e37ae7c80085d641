package io.roster.store.command;

/** Makes a learner a voting member. */
public record PromoteMember(long id) implements Command {
}
