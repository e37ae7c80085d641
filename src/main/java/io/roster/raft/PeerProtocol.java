package io.roster.raft;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The peer operations this member serves, each bound once to its handler. The node's own operations
 * ({@code propose}, {@code batch}) are bound by {@link RaftNode}; every other is bound in one place, the
 * node's wiring.
 */
public final class PeerProtocol {

    /** One served operation: its handler as called on this member, and behind its codecs for peers. */
    record Served<Q, A>(PeerOperation<Q, A> operation, PeerHandler<Q, A> handler, EncodedPeerHandler encoded) {
    }

    private final Map<String, Served<?, ?>> served = new ConcurrentHashMap<>();

    /** Serves {@code operation} with {@code handler}; an operation is bound once. */
    public <Q, A> void serve(PeerOperation<Q, A> operation, PeerHandler<Q, A> handler) {
        EncodedPeerHandler encoded = request -> handler.handle(operation.request().decode(request))
                .thenApply(answer -> operation.answer().encode(answer));
        if (served.putIfAbsent(operation.name(), new Served<>(operation, handler, encoded)) != null) {
            throw new IllegalStateException("peer operation " + operation.name() + " is already served");
        }
    }

    /** The served operation of that name, or null. */
    Served<?, ?> served(String name) {
        return served.get(name);
    }

    /** Calls {@code operation}'s handler on this member, as a peer's call would but without the codecs. */
    @SuppressWarnings("unchecked")
    <Q, A> CompletableFuture<A> callHere(PeerOperation<Q, A> operation, Q request) {
        Served<?, ?> bound = served.get(operation.name());
        if (bound == null || !bound.operation().equals(operation)) {
            return CompletableFuture.failedFuture(new UnknownPeerOperationException("peer operation " + operation
                    + " is not served by this member"));
        }
        return ((PeerHandler<Q, A>) bound.handler()).handle(request);
    }
}
