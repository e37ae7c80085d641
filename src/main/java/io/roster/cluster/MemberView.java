package io.roster.cluster;

import io.roster.store.Member;

import java.util.List;

/**
 * A member as the membership API shows it. A member is started once it has published its client URLs;
 * an added member that has not run yet has no name.
 */
public record MemberView(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner, boolean started,
                         boolean leader) {

    public MemberView {
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }

    static MemberView of(Member member, boolean leader) {
        return new MemberView(member.id(), member.name(), member.peerUrls(), member.clientUrls(), member.learner(), member.started(),
                leader);
    }
}
