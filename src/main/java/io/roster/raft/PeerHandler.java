package io.roster.raft;

import java.util.concurrent.CompletableFuture;

/** What a member does when a peer calls one {@link PeerOperation}: the request decoded, the answer to encode. */
@FunctionalInterface
public interface PeerHandler<Q, A> {

    CompletableFuture<A> handle(Q request);
}
