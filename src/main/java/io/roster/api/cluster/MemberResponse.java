package io.roster.api.cluster;

import io.roster.cluster.MemberView;
import io.roster.identity.MemberIds;

import java.util.List;

/** A member as etcd lists it: an unstarted member has no name and no client URLs yet. */
public record MemberResponse(String id, String name, List<String> peerUrls, List<String> clientUrls, boolean isLeader,
                             boolean isLearner, String status) {

    static MemberResponse of(MemberView member) {
        return new MemberResponse(MemberIds.hex(member.id()), member.started() ? member.name() : "", member.peerUrls(),
                member.clientUrls(), member.leader(), member.learner(), member.started() ? "started" : "unstarted");
    }
}
