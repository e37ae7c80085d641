package io.roster.client;

import java.util.List;

/** The member removed, and the members that remain. */
public record MemberRemoved(Member removed, List<Member> members) {

    public MemberRemoved {
        members = List.copyOf(members);
    }
}
