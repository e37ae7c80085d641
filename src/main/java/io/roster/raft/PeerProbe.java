package io.roster.raft;

import com.alipay.sofa.jraft.error.InvokeTimeoutException;
import com.alipay.sofa.jraft.error.RemotingException;
import com.alipay.sofa.jraft.rpc.RpcClient;
import com.alipay.sofa.jraft.util.Endpoint;
import io.roster.config.PeerUrl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asks given members a question over their peer ports, outside Raft's routing: before this member starts
 * Raft (which cluster are you, who are its members), when it cannot know the leader, or of every member at
 * once (each one's status). Every member is asked at the same time, so a dead one costs the whole question
 * one timeout, not one timeout each.
 *
 * <p>Each question opens its own client and closes it once every call has ended: bolt never replaces a pool
 * whose connection died while it was being made (see {@code io.roster.cluster.PeerReconnector}), and a
 * question asked about a member that restarts must not inherit such a pool.
 */
public final class PeerProbe {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final PeerTransport transport;

    public PeerProbe(PeerTransport transport) {
        this.transport = transport;
    }

    /** The answers of the members that answered, in the order asked; the others are left out. */
    public <Q, A> Map<PeerUrl, A> ask(List<PeerUrl> peers, PeerOperation<Q, A> operation, Q request, Duration timeout) {
        Map<PeerUrl, A> answers = new LinkedHashMap<>();
        askEach(peers, operation, request, timeout).forEach((peer, answer) -> {
            try {
                answers.put(peer, answer.join());
            } catch (CompletionException noAnswer) {
                // down, unreachable, refused, or not a Roster member yet: no answer from it
            }
        });
        return answers;
    }

    /**
     * Each member's answer, all asked at once; each completes within {@code timeout}. A member that gives no
     * answer fails its future with {@link PeerUnreachableException}; one that does not know the operation
     * (an older release) with {@link UnknownPeerOperationException}, or does not serve its version with
     * {@link UnsupportedPeerVersionException}; one whose handler failed with {@link RaftUnavailableException}
     * saying why; an answer that is not of the operation's layout with {@link IllegalArgumentException}.
     */
    public <Q, A> Map<PeerUrl, CompletableFuture<A>> askEach(List<PeerUrl> peers, PeerOperation<Q, A> operation, Q request,
                                                           Duration timeout) {
        Map<PeerUrl, CompletableFuture<A>> answers = new LinkedHashMap<>();
        if (peers.isEmpty()) {
            return answers;
        }
        PeerRequest message = new PeerRequest(operation.name(), operation.version(), operation.request().encode(request));
        RpcClient client = transport.newClient();
        // A thread per member: bolt opens a connection on the calling thread, so even its asynchronous call blocks.
        ExecutorService callers = Executors.newFixedThreadPool(peers.size(), runnable -> {
            Thread thread = new Thread(runnable, "roster-peer-probe-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        List<CompletableFuture<A>> calls = new ArrayList<>();
        try {
            for (PeerUrl peer : peers) {
                CompletableFuture<A> call = CompletableFuture.supplyAsync(() -> call(client, peer, operation, message, timeout), callers);
                calls.add(call);
                answers.put(peer, withDeadline(call, timeout));
            }
        } finally {
            callers.shutdown(); // its threads end with their calls
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> client.shutdown());
        }
        return answers;
    }

    private static <A> A call(RpcClient client, PeerUrl peer, PeerOperation<?, A> operation, PeerRequest request, Duration timeout) {
        Object response;
        try {
            response = client.invokeSync(new Endpoint(peer.host(), peer.port()), request, timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerUnreachableException("interrupted while asking " + peer);
        } catch (InvokeTimeoutException e) {
            throw noAnswerWithin(timeout);
        } catch (RemotingException e) {
            throw new PeerUnreachableException(reason(e));
        }
        if (!(response instanceof PeerResponse answer)) {
            throw new IllegalArgumentException("an answer that is not a peer response: " + response);
        }
        return switch (answer.status()) {
            case PeerResponse.OK -> operation.answer().decode(answer.body() == null ? new byte[0] : answer.body());
            case PeerResponse.UNKNOWN_OPERATION -> throw new UnknownPeerOperationException(answer.message());
            case PeerResponse.UNSUPPORTED_VERSION -> throw new UnsupportedPeerVersionException(answer.message());
            case PeerResponse.NOT_LEADER -> throw new NotLeaderException(answer.message());
            default -> throw new RaftUnavailableException(answer.message(), false);
        };
    }

    /** The call's outcome, or no answer once {@code timeout} has passed, whatever the call is still waiting for. */
    private static <A> CompletableFuture<A> withDeadline(CompletableFuture<A> call, Duration timeout) {
        CompletableFuture<A> answer = new CompletableFuture<>();
        call.whenComplete((value, error) -> {
            if (error == null) {
                answer.complete(value);
            } else {
                answer.completeExceptionally(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            }
        });
        // Run on the delaying thread itself: the common pool may be busy with blocking work elsewhere.
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS, Runnable::run)
                .execute(() -> answer.completeExceptionally(noAnswerWithin(timeout)));
        return answer;
    }

    private static PeerUnreachableException noAnswerWithin(Duration timeout) {
        return new PeerUnreachableException("no answer within " + timeout.toMillis() + " ms");
    }

    /**
     * The innermost cause in a few words ("connection refused"), not bolt's chain of wrappers nor netty's native
     * call ("finishConnect(..) failed with error(-111): Connection refused").
     */
    private static String reason(Throwable error) {
        Throwable innermost = error;
        while (innermost.getCause() != null && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        String message = innermost.getMessage();
        if (message == null || message.isBlank()) {
            return innermost.getClass().getSimpleName();
        }
        if (innermost instanceof java.net.ConnectException) {
            String last = message.substring(message.lastIndexOf(": ") + 1).trim(); // the system's words, after netty's
            return last.isEmpty() ? message : Character.toLowerCase(last.charAt(0)) + last.substring(1);
        }
        return message;
    }
}
