package io.roster.store;

import java.util.List;
import java.util.Objects;

/**
 * A member of the cluster. Bootstrap members' ids derive from the cluster token and peer URL; members
 * added at runtime get an id with a nonce. A member is started once it has published its client URLs.
 */
public record Member(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner) {

    public Member {
        Objects.requireNonNull(name, "name");
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }

    public boolean started() {
        return !clientUrls.isEmpty();
    }
}
