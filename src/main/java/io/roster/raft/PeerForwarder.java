package io.roster.raft;

import com.alipay.sofa.jraft.util.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Sends a follower's requests to the leader, many in one RPC when they arrive together. With one RPC per
 * forwarded request, a write that reached a follower cost twice the CPU of one that reached the leader
 * (docs/benchmarks.md). One sender thread takes everything that queued up while it sent the previous
 * batch: batches form only under load, and a lone request goes out at once, as a plain {@link PeerRequest}.
 */
final class PeerForwarder implements AutoCloseable {

    static final int MAX_BATCH_REQUESTS = 256;
    /** Request bodies above this go alone, and a batch stops growing past it. */
    static final int MAX_BATCH_BYTES = 1 << 20;

    private static final Logger log = LoggerFactory.getLogger(PeerForwarder.class);

    /** The RPC client's asynchronous call; throws {@link NotSentException} when nothing was sent. */
    @FunctionalInterface
    interface Transport {
        void send(Endpoint leader, Object request, long timeoutMillis, BiConsumer<Object, Throwable> callback);
    }

    /** The request never left this node: the leader cannot have acted on it. */
    static final class NotSentException extends RuntimeException {
        NotSentException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The request was sent but its answer did not come back: the leader may have acted on it. */
    static final class AnswerLostException extends RuntimeException {
        AnswerLostException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record Pending(Endpoint leader, PeerRequest request, long deadlineNanos,
                           CompletableFuture<PeerResponse> answer) {
        int bytes() {
            return request.body() == null ? 0 : request.body().length;
        }
    }

    private final Transport transport;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread sender;
    private final AtomicLong batchesSent = new AtomicLong();
    private volatile boolean closed;

    PeerForwarder(Transport transport, String threadName) {
        this.transport = transport;
        this.sender = new Thread(this::sendLoop, threadName);
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /** Queues a request for the leader, to go out with whatever else is waiting. */
    CompletableFuture<PeerResponse> send(Endpoint leader, PeerRequest request, long deadlineNanos) {
        Pending pending = new Pending(leader, request, deadlineNanos, new CompletableFuture<>());
        if (closed) {
            pending.answer().completeExceptionally(new NotSentException("the node is shutting down", null));
            return pending.answer();
        }
        queue.add(pending);
        if (closed && queue.remove(pending)) {
            pending.answer().completeExceptionally(new NotSentException("the node is shutting down", null));
        }
        return pending.answer();
    }

    /** Sends a request in an RPC of its own, now, on the calling thread: for operations that may take long. */
    CompletableFuture<PeerResponse> sendAlone(Endpoint leader, PeerRequest request, long deadlineNanos) {
        Pending pending = new Pending(leader, request, deadlineNanos, new CompletableFuture<>());
        sendSingle(pending);
        return pending.answer();
    }

    private void sendLoop() {
        List<Pending> taken = new ArrayList<>();
        while (!closed) {
            try {
                taken.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            int bytes = taken.get(0).bytes();
            Pending next;
            while (taken.size() < MAX_BATCH_REQUESTS && (next = queue.peek()) != null
                    && bytes + next.bytes() <= MAX_BATCH_BYTES) {
                taken.add(queue.poll());
                bytes += next.bytes();
            }
            try {
                sendTaken(taken);
            } catch (RuntimeException e) {
                // Never lose the sender thread: fail what was taken, keep serving the rest.
                log.error("Forwarding {} requests to the leader failed", taken.size(), e);
                taken.forEach(pending -> pending.answer().completeExceptionally(new NotSentException(e.getMessage(), e)));
            }
            taken.clear();
        }
        failQueued();
    }

    private void sendTaken(List<Pending> taken) {
        if (taken.size() == 1) {
            sendSingle(taken.get(0));
            return;
        }
        // A leader change while requests queued leaves them addressed to different nodes.
        Map<Endpoint, List<Pending>> byLeader = new LinkedHashMap<>();
        for (Pending pending : taken) {
            byLeader.computeIfAbsent(pending.leader(), leader -> new ArrayList<>()).add(pending);
        }
        byLeader.forEach((leader, batch) -> {
            if (batch.size() == 1) {
                sendSingle(batch.get(0));
            } else {
                sendBatch(leader, batch);
            }
        });
    }

    private void sendSingle(Pending pending) {
        try {
            transport.send(pending.leader(), pending.request(), timeoutMillis(pending.deadlineNanos()), (result, error) -> {
                if (error != null) {
                    pending.answer().completeExceptionally(new AnswerLostException(error.getMessage(), error));
                } else {
                    pending.answer().complete((PeerResponse) result);
                }
            });
        } catch (NotSentException e) {
            pending.answer().completeExceptionally(e);
        }
    }

    private void sendBatch(Endpoint leader, List<Pending> batch) {
        PeerRequest[] requests = new PeerRequest[batch.size()];
        long deadline = batch.get(0).deadlineNanos();
        for (int i = 0; i < requests.length; i++) {
            requests[i] = batch.get(i).request();
            deadline = Math.max(deadline, batch.get(i).deadlineNanos());
        }
        try {
            transport.send(leader, new PeerBatch(requests), timeoutMillis(deadline), (result, error) -> {
                PeerResponse[] responses = error == null ? ((PeerBatchResponse) result).responses() : null;
                for (int i = 0; i < batch.size(); i++) {
                    if (responses != null && responses.length == batch.size()) {
                        batch.get(i).answer().complete(responses[i]);
                    } else {
                        String why = error != null ? error.getMessage()
                                : "the leader answered " + (responses == null ? 0 : responses.length) + " of " + batch.size() + " requests";
                        batch.get(i).answer().completeExceptionally(new AnswerLostException(why, error));
                    }
                }
            });
            batchesSent.incrementAndGet();
        } catch (NotSentException e) {
            batch.forEach(pending -> pending.answer().completeExceptionally(e));
        }
    }

    /** How many multi-request RPCs have gone out. */
    long batchesSent() {
        return batchesSent.get();
    }

    private static long timeoutMillis(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    private void failQueued() {
        Pending pending;
        while ((pending = queue.poll()) != null) {
            pending.answer().completeExceptionally(new NotSentException("the node is shutting down", null));
        }
    }

    @Override
    public void close() {
        closed = true;
        sender.interrupt();
        try {
            sender.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failQueued();
    }
}
