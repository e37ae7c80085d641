package io.roster.raft;

import java.util.concurrent.CompletableFuture;

/**
 * An operation that only the leader can perform (a proposal, a lease keep-alive). Any node may call it:
 * a follower sends the request to the leader over the peer connection.
 */
@FunctionalInterface
public interface LeaderHandler {

    CompletableFuture<byte[]> handle(byte[] request);
}
