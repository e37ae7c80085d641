package io.roster.raft;

import java.util.concurrent.CompletableFuture;

/** A {@link PeerHandler} behind its operation's codecs: request bytes in, answer bytes out. */
@FunctionalInterface
interface EncodedPeerHandler {

    CompletableFuture<byte[]> handle(byte[] request);
}
