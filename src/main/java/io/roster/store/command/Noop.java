package io.roster.store.command;

/**
 * Changes nothing and bumps no revision. The leader appends it while a new voter is catching up: JRaft
 * notices that a peer being added has caught up only when an append to it succeeds, so on an idle log
 * the change could otherwise wait forever (see {@code RaftNode#promote}).
 */
public record Noop() implements Command {

    public static final Noop INSTANCE = new Noop();
}
