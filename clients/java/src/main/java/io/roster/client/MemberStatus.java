package io.roster.client;

import java.util.List;

/**
 * A member of the member list and what it answered when the member asked wanted its status.
 *
 * @param memberId  16 hex digits
 * @param reachable whether it answered at all (one of an older release that does not know the question answers,
 *                  with an error)
 * @param status    its status, or null when there is an error
 * @param error     why there is no status, or null
 */
public record MemberStatus(String memberId, String name, List<String> peerUrls, List<String> clientUrls, boolean isLearner,
                           boolean reachable, Status status, String error) {

    public MemberStatus {
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }
}
