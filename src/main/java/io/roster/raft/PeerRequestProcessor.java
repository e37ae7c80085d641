package io.roster.raft;

import com.alipay.sofa.jraft.rpc.RpcContext;
import com.alipay.sofa.jraft.rpc.RpcProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/** Serves {@link PeerRequest}s on the leader: looks up the operation's handler and answers with its result. */
final class PeerRequestProcessor implements RpcProcessor<PeerRequest> {

    private static final Logger log = LoggerFactory.getLogger(PeerRequestProcessor.class);

    private final Map<String, LeaderHandler> leaderHandlers;
    private final Map<String, LeaderHandler> anyMemberHandlers;
    private final BooleanSupplier isLeader;
    private final Executor executor;

    PeerRequestProcessor(Map<String, LeaderHandler> leaderHandlers, Map<String, LeaderHandler> anyMemberHandlers,
                         BooleanSupplier isLeader, Executor executor) {
        this.leaderHandlers = leaderHandlers;
        this.anyMemberHandlers = anyMemberHandlers;
        this.isLeader = isLeader;
        this.executor = executor;
    }

    @Override
    public void handleRequest(RpcContext ctx, PeerRequest request) {
        LeaderHandler anyMember = anyMemberHandlers.get(request.operation());
        LeaderHandler handler = anyMember != null ? anyMember : leaderHandlers.get(request.operation());
        if (handler == null) {
            ctx.sendResponse(PeerResponse.error(PeerResponse.UNKNOWN_OPERATION, "unknown peer operation " + request.operation()));
            return;
        }
        if (anyMember == null && !isLeader.getAsBoolean()) {
            ctx.sendResponse(PeerResponse.error(PeerResponse.NOT_LEADER, "not the leader"));
            return;
        }
        try {
            handler.handle(request.body()).whenComplete((body, error) -> ctx.sendResponse(toResponse(body, error)));
        } catch (RuntimeException e) {
            ctx.sendResponse(toResponse(null, e));
        }
    }

    private static PeerResponse toResponse(byte[] body, Throwable error) {
        if (error == null) {
            return PeerResponse.ok(body);
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof NotLeaderException) {
            return PeerResponse.error(PeerResponse.NOT_LEADER, cause.getMessage());
        }
        if (!(cause instanceof RaftUnavailableException)) {
            log.warn("Peer operation failed", cause);
        }
        return PeerResponse.error(PeerResponse.FAILED, String.valueOf(cause.getMessage()));
    }

    @Override
    public String interest() {
        return PeerRequest.class.getName();
    }

    @Override
    public Executor executor() {
        return executor;
    }
}
