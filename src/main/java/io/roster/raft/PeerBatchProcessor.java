package io.roster.raft;

import com.alipay.sofa.jraft.rpc.RpcContext;
import com.alipay.sofa.jraft.rpc.RpcProcessor;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Serves a {@link PeerBatch} on the leader: each request as {@link PeerRequestProcessor} would, one answer for all. */
final class PeerBatchProcessor implements RpcProcessor<PeerBatch> {

    private final PeerRequestProcessor requests;

    PeerBatchProcessor(PeerRequestProcessor requests) {
        this.requests = requests;
    }

    @Override
    public void handleRequest(RpcContext ctx, PeerBatch batch) {
        PeerRequest[] received = batch.requests();
        @SuppressWarnings("unchecked")
        CompletableFuture<PeerResponse>[] answers = new CompletableFuture[received.length];
        for (int i = 0; i < received.length; i++) {
            answers[i] = requests.serve(received[i]);
        }
        CompletableFuture.allOf(answers).whenComplete((ignored, error) -> {
            PeerResponse[] responses = new PeerResponse[answers.length];
            for (int i = 0; i < answers.length; i++) {
                responses[i] = answers[i].join(); // serve() answers every failure with an error response
            }
            ctx.sendResponse(new PeerBatchResponse(responses));
        });
    }

    @Override
    public String interest() {
        return PeerBatch.class.getName();
    }

    @Override
    public Executor executor() {
        return requests.executor();
    }
}
