package io.roster.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.closure.ReadIndexClosure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Linearizable reads on any member (Raft's ReadIndex): a barrier completes once this member has applied
 * every entry committed before it was asked for.
 */
final class ReadBarriers {

    private static final byte[] NO_CONTEXT = new byte[0];

    private final NodeHandle node;
    private final Executor completions;
    private final DeadlineRetries retries;

    ReadBarriers(NodeHandle node, Executor completions, DeadlineRetries retries) {
        this.node = node;
        this.completions = completions;
        this.retries = retries;
    }

    CompletableFuture<Void> readBarrier() {
        return retries.run(this::readIndexOnce, retries.deadline(), "a linearizable read", false);
    }

    private CompletableFuture<Void> readIndexOnce() {
        CompletableFuture<Void> barrier = new CompletableFuture<>();
        Node current = node.require();
        current.readIndex(NO_CONTEXT, new ReadIndexClosure() {
            @Override
            public void run(Status status, long index, byte[] requestContext) {
                if (status.isOk()) {
                    completions.execute(() -> barrier.complete(null));
                } else {
                    completions.execute(() -> barrier.completeExceptionally(new NotLeaderException(status.getErrorMsg())));
                }
            }
        });
        return barrier;
    }
}
