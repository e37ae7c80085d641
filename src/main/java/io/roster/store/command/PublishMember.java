package io.roster.store.command;

import io.roster.store.Member;

/** A member announces its name and addresses once it runs, as etcd members publish their attributes. */
public record PublishMember(Member member) implements Command {
}
