package io.roster.store.command;

import io.roster.store.Member;

/**
 * A member announces its name and client URLs once it runs, as etcd members publish their attributes.
 * For a member already in the table (added at runtime, or seeded at bootstrap) its peer URLs and learner
 * flag stay as recorded.
 */
public record PublishMember(Member member) implements Command {
}
