package io.roster.store.command;

import io.roster.store.Member;

/** Records a member added at runtime: unstarted (no client URLs) until it runs and publishes itself. */
public record AddMember(Member member) implements Command {
}
