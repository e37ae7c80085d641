package io.roster.store;

import java.util.List;
import java.util.Objects;

/** A cluster member's published attributes; {@code id} is derived from the cluster token and peer URL. */
public record Member(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner) {

    public Member {
        Objects.requireNonNull(name, "name");
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }
}
