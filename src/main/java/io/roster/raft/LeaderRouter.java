package io.roster.raft;

import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.error.RemotingException;
import com.alipay.sofa.jraft.rpc.RpcClient;
import io.roster.store.CorruptEntryException;
import io.roster.store.codec.StoreCodec;
import io.roster.store.command.Command;
import io.roster.store.command.CommandResult;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Gets proposals and leader-only operations to the leader from whichever member received them: applied
 * here when this member leads, otherwise forwarded over the peer port (ADR 0002), and retried while
 * leadership moves, until the request's deadline.
 */
final class LeaderRouter {

    /** A command, in the store's versioned encoding, to replicate; the answer is what every replica computed. */
    static final PeerOperation<byte[], CommandResult> PROPOSE = PeerOperation.onLeader("propose", PeerCodec.BYTES,
            PeerCodec.of(StoreCodec::encodeResult, StoreCodec::decodeResult));
    /** JRaft's expected term for a task any leader may append. */
    private static final long ANY_TERM = -1;

    private final NodeHandle node;
    private final PeerProtocol protocol;
    private final Executor completions;
    private final DeadlineRetries retries;
    private final Supplier<RaftObserver> observer;
    private final Map<String, CoalescedLeaderCalls> coalesced = new ConcurrentHashMap<>();
    private volatile RpcClient rpcClient;

    LeaderRouter(NodeHandle node, PeerProtocol protocol, Executor completions, DeadlineRetries retries,
                 Supplier<RaftObserver> observer) {
        this.node = node;
        this.protocol = protocol;
        this.completions = completions;
        this.retries = retries;
        this.observer = observer;
    }

    /** The client that forwards to the leader, once the node has started. */
    void forwardWith(RpcClient client) {
        this.rpcClient = client;
    }

    CompletableFuture<CommandResult> propose(Command command) {
        long start = System.nanoTime();
        byte[] entry = StoreCodec.encodeCommand(command);
        CompletableFuture<CommandResult> result = routeToLeader(PROPOSE, entry, () -> applyLocally(entry), false);
        result.whenComplete((ignored, error) -> observer.get().onProposal(System.nanoTime() - start, error != null));
        return result;
    }

    CompletableFuture<CommandResult> proposeInTerm(Command command, long term) {
        long start = System.nanoTime();
        CompletableFuture<CommandResult> result = applyLocally(StoreCodec.encodeCommand(command), term);
        result.whenComplete((ignored, error) -> observer.get().onProposal(System.nanoTime() - start, error != null));
        return result;
    }

    <Q, A> CompletableFuture<A> callLeader(PeerOperation<Q, A> operation, Q request) {
        if (operation.servedBy() != PeerOperation.Served.BY_LEADER) {
            throw new IllegalArgumentException("peer operation " + operation + " is not the leader's");
        }
        return routeToLeader(operation, operation.request().encode(request), () -> protocol.callHere(operation, request), true);
    }

    <Q, A> CompletableFuture<A> callLeaderCoalesced(PeerOperation<Q, A> operation, Q request) {
        if (node.isLeader() || operation.version() != 1) {
            return callLeader(operation, request);
        }
        CoalescedLeaderCalls calls = coalesced.computeIfAbsent(operation.name(), name -> new CoalescedLeaderCalls(name,
                (sent, body) -> sent.equals(LeaderCallBatch.OPERATION.name())
                        ? routeToLeader(LeaderCallBatch.OPERATION, body, () -> protocol.callHere(LeaderCallBatch.OPERATION, body), true)
                        : routeToLeader(operation, body, () -> protocol.callHere(operation, operation.request().decode(body)), true)
                                .thenApply(answer -> operation.answer().encode(answer)),
                System::nanoTime, count -> observer.get().onCoalescedCalls(name, count)));
        return calls.call(operation.request().encode(request)).thenApply(operation.answer()::decode);
    }

    /** Appends an encoded command to this member's log, which only a leader accepts. */
    CompletableFuture<CommandResult> applyLocally(byte[] entry) {
        return applyLocally(entry, ANY_TERM);
    }

    private CompletableFuture<CommandResult> applyLocally(byte[] entry, long expectedTerm) {
        try {
            StoreCodec.decodeCommand(entry); // nothing that cannot be decoded may reach the log
        } catch (CorruptEntryException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("malformed command: " + e.getMessage(), e));
        }
        ProposalClosure closure = new ProposalClosure(completions);
        Task task = new Task(ByteBuffer.wrap(entry), closure);
        task.setExpectedTerm(expectedTerm);
        node.require().apply(task);
        return closure.future();
    }

    /**
     * Runs {@code local} if this node leads, otherwise sends the request to the leader; retries while
     * there is no leader or the target has just lost leadership, until the request timeout.
     *
     * @param idempotent whether a request whose answer was lost may be sent again
     */
    private <A> CompletableFuture<A> routeToLeader(PeerOperation<?, A> operation, byte[] request, Supplier<CompletableFuture<A>> local,
                                                   boolean idempotent) {
        long deadline = retries.deadline();
        return retries.run(() -> node.isLeader() ? local.get() : forward(operation, request, idempotent, deadline),
                deadline, operation.name(), true);
    }

    private <A> CompletableFuture<A> forward(PeerOperation<?, A> operation, byte[] request, boolean idempotent, long deadline) {
        PeerId leader = node.require().getLeaderId();
        if (leader == null || leader.isEmpty()) {
            return CompletableFuture.failedFuture(new NotLeaderException("no leader is known"));
        }
        CompletableFuture<A> answer = new CompletableFuture<>();
        long timeoutMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        try {
            rpcClient.invokeAsync(leader.getEndpoint(), new PeerRequest(operation.name(), operation.version(), request), (result, error) -> {
                if (error != null) {
                    // Connection failures surface synchronously below; an error here may follow a delivered request.
                    answer.completeExceptionally(idempotent
                            ? new NotLeaderException("leader " + leader + " unreachable: " + error.getMessage())
                            : new RaftUnavailableException("lost the answer from leader " + leader
                                    + " (" + error.getMessage() + "); the write may or may not have been applied", true));
                    return;
                }
                PeerResponse response = (PeerResponse) result;
                switch (response.status()) {
                    case PeerResponse.OK -> {
                        try {
                            answer.complete(operation.answer().decode(response.body()));
                        } catch (RuntimeException e) {
                            answer.completeExceptionally(e);
                        }
                    }
                    case PeerResponse.NOT_LEADER -> answer.completeExceptionally(new NotLeaderException(response.message()));
                    case PeerResponse.UNKNOWN_OPERATION -> answer.completeExceptionally(
                            new UnknownPeerOperationException(response.message()));
                    case PeerResponse.UNSUPPORTED_VERSION -> answer.completeExceptionally(
                            new UnsupportedPeerVersionException("the leader " + leader + " refused " + operation + ": "
                                    + response.message()));
                    default -> answer.completeExceptionally(new RaftUnavailableException(response.message(), !idempotent));
                }
            }, timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.completeExceptionally(new RaftUnavailableException("interrupted", false));
        } catch (RemotingException e) {
            answer.completeExceptionally(new NotLeaderException("cannot reach leader " + leader + ": " + e.getMessage()));
        }
        return answer;
    }
}
