package io.roster.raft;

import com.alipay.sofa.jraft.rpc.RpcContext;
import com.alipay.sofa.jraft.rpc.RpcProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * Serves {@link PeerRequest}s: finds the operation, checks its version and, for a leader's operation, that
 * this member leads, and answers with what its handler returned.
 */
final class PeerRequestProcessor implements RpcProcessor<PeerRequest> {

    private static final Logger log = LoggerFactory.getLogger(PeerRequestProcessor.class);

    private final PeerProtocol protocol;
    private final BooleanSupplier isLeader;
    private final Executor executor;

    PeerRequestProcessor(PeerProtocol protocol, BooleanSupplier isLeader, Executor executor) {
        this.protocol = protocol;
        this.isLeader = isLeader;
        this.executor = executor;
    }

    @Override
    public void handleRequest(RpcContext ctx, PeerRequest request) {
        PeerProtocol.Served<?, ?> served = protocol.served(request.operation());
        if (served == null) {
            ctx.sendResponse(PeerResponse.error(PeerResponse.UNKNOWN_OPERATION, "unknown peer operation " + request.operation()
                    + " (is the member that sent it a newer release?)"));
            return;
        }
        PeerOperation<?, ?> operation = served.operation();
        if (!operation.serves(request.version())) {
            ctx.sendResponse(PeerResponse.error(PeerResponse.UNSUPPORTED_VERSION, "peer operation " + operation.name()
                    + " version " + request.version() + " is not served by this member, which serves versions "
                    + operation.oldestServed() + " to " + operation.version() + ": the two members run releases too far apart;"
                    + " upgrade one release at a time"));
            return;
        }
        if (operation.servedBy() == PeerOperation.Served.BY_LEADER && !isLeader.getAsBoolean()) {
            ctx.sendResponse(PeerResponse.error(PeerResponse.NOT_LEADER, "not the leader"));
            return;
        }
        try {
            served.encoded().handle(request.body()).whenComplete((body, error) -> ctx.sendResponse(toResponse(body, error)));
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
