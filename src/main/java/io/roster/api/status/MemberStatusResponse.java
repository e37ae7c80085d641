package io.roster.api.status;

import io.roster.cluster.ClusterStatus;
import io.roster.identity.MemberIds;

import java.util.List;

/**
 * One member of the member list and what it answered when asked for its status: the status, or why there is
 * none. {@code reachable} says whether it answered at all: a member of an older release that does not know the
 * question is reachable, with an error saying so.
 */
public record MemberStatusResponse(String memberId, String name, List<String> peerUrls, List<String> clientUrls,
                                   boolean isLearner, boolean reachable, StatusResponse status, String error) {

    static MemberStatusResponse of(ClusterStatus.Report report) {
        var member = report.member();
        return new MemberStatusResponse(MemberIds.hex(member.id()), member.name(), member.peerUrls(), member.clientUrls(),
                member.learner(), report.reachable(), report.status() == null ? null : StatusResponse.of(report.status()),
                report.error());
    }
}
