package io.roster.cluster;

import io.roster.store.Member;

/** A member as the membership API shows it. */
public record MemberView(Member member, boolean leader) {
}
