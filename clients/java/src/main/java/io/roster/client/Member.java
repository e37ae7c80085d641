package io.roster.client;

import java.util.List;

/**
 * A cluster member, as etcd lists it: an unstarted member has an empty name and no client URLs yet.
 *
 * @param id     16 hex digits
 * @param status {@code started} or {@code unstarted}
 */
public record Member(String id, String name, List<String> peerUrls, List<String> clientUrls, boolean isLeader,
                     boolean isLearner, String status) {

    public Member {
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }
}
