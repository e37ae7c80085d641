package io.roster.client;

import java.util.List;

/**
 * Every member's status, as one member gathered them ({@code GET /v1/status/members}).
 *
 * @param askedBy  the id of the member that asked the others
 * @param revision that member's store revision
 */
public record ClusterStatus(String askedBy, long revision, List<MemberStatus> members) {

    public ClusterStatus {
        members = List.copyOf(members);
    }
}
