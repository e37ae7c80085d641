package io.roster.client;

import java.util.List;

public record MemberList(List<Member> members, long revision) {

    public MemberList {
        members = List.copyOf(members);
    }
}
