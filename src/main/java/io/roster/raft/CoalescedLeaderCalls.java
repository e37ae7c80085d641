package io.roster.raft;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * A follower's concurrent calls of one idempotent leader operation, sent to the leader together as one
 * {@link LeaderCallBatch}. Each forwarded call costs a peer message each way (a bolt frame, with peer TLS a
 * record to seal and open on both sides, a dispatch on the leader); for heartbeats at a high rate that was
 * most of a forwarded heartbeat's cost. Nothing waits for a batch to fill: a call leaves at once unless
 * {@value #MAX_IN_FLIGHT} batches are already on their way, and the calls that arrive meanwhile leave
 * together as soon as one returns. So a lone call costs what it did, and a busy member sends fewer, larger
 * messages.
 *
 * <p>A leader that does not know {@link LeaderCallBatch#OPERATION}, or not in its version (another
 * release, during a rolling upgrade), gets the calls one by one for a while.
 */
final class CoalescedLeaderCalls {

    private static final Logger log = LoggerFactory.getLogger(CoalescedLeaderCalls.class);
    static final int MAX_IN_FLIGHT = 2;
    static final int MAX_BATCH = 256;
    private static final long SINGLY_AFTER_REFUSAL_NANOS = TimeUnit.SECONDS.toNanos(30);

    private record Pending(byte[] request, CompletableFuture<byte[]> answer) {
    }

    private final String operation;
    /** Calls the leader's {@code (operation, request)}: {@code RaftNode#callLeader}, with its retries. */
    private final BiFunction<String, byte[], CompletableFuture<byte[]>> callLeader;
    private final LongSupplier nanoClock;
    /** Told how many calls each message carries. */
    private final IntConsumer sent;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Until when calls go one by one (an older leader refused a batch); null while batches go. */
    private volatile Long singlyUntilNanos;

    CoalescedLeaderCalls(String operation, BiFunction<String, byte[], CompletableFuture<byte[]>> callLeader, LongSupplier nanoClock,
                         IntConsumer sent) {
        this.operation = operation;
        this.callLeader = callLeader;
        this.nanoClock = nanoClock;
        this.sent = sent;
    }

    CompletableFuture<byte[]> call(byte[] request) {
        Pending pending = new Pending(request, new CompletableFuture<>());
        queue.add(pending);
        drain();
        return pending.answer();
    }

    /**
     * Sends what is queued while fewer than {@value #MAX_IN_FLIGHT} batches are on their way. Whoever
     * changes the queue or the count calls this afterwards, so no queued call is left behind.
     */
    private void drain() {
        while (!queue.isEmpty()) {
            int current = inFlight.get();
            if (current >= MAX_IN_FLIGHT) {
                return;
            }
            if (!inFlight.compareAndSet(current, current + 1)) {
                continue;
            }
            List<Pending> batch = new ArrayList<>();
            Pending next;
            while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
                batch.add(next);
            }
            if (batch.isEmpty()) {
                inFlight.decrementAndGet();
                continue;
            }
            send(batch).whenComplete((ignored, error) -> {
                inFlight.decrementAndGet();
                drain();
            });
        }
    }

    private CompletableFuture<?> send(List<Pending> batch) {
        if (batch.size() == 1 || sendingSingly()) {
            return sendSingly(batch);
        }
        List<byte[]> requests = batch.stream().map(Pending::request).toList();
        sent.accept(batch.size());
        return callLeader.apply(LeaderCallBatch.OPERATION.name(), LeaderCallBatch.encodeRequest(operation, requests))
                .handle((body, error) -> {
                    if (error == null) {
                        complete(batch, body);
                        return CompletableFuture.completedFuture(null);
                    }
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    if (cause instanceof UnknownPeerOperationException || cause instanceof UnsupportedPeerVersionException) {
                        singlyUntilNanos = nanoClock.getAsLong() + SINGLY_AFTER_REFUSAL_NANOS;
                        log.info("The leader does not take batched {} calls (an older member?); sending them one by one", operation);
                        return sendSingly(batch);
                    }
                    batch.forEach(pending -> pending.answer().completeExceptionally(cause));
                    return CompletableFuture.completedFuture(null);
                })
                .thenCompose(done -> done);
    }

    private boolean sendingSingly() {
        Long until = singlyUntilNanos;
        return until != null && nanoClock.getAsLong() - until < 0;
    }

    private CompletableFuture<?> sendSingly(List<Pending> batch) {
        List<CompletableFuture<byte[]>> calls = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            CompletableFuture<byte[]> call;
            sent.accept(1);
            try {
                call = callLeader.apply(operation, pending.request());
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            call.whenComplete((answer, error) -> {
                if (error == null) {
                    pending.answer().complete(answer);
                } else {
                    pending.answer().completeExceptionally(error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error);
                }
            });
            calls.add(call);
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).exceptionally(ignored -> null);
    }

    private static void complete(List<Pending> batch, byte[] body) {
        List<LeaderCallBatch.Outcome> outcomes;
        try {
            outcomes = LeaderCallBatch.decodeResponse(body, batch.size());
        } catch (IllegalArgumentException e) {
            batch.forEach(pending -> pending.answer().completeExceptionally(new RaftUnavailableException(
                    "the leader's answer to a batch could not be read: " + e.getMessage(), false)));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            LeaderCallBatch.Outcome outcome = outcomes.get(i);
            if (outcome.failure() == null) {
                batch.get(i).answer().complete(outcome.answer());
            } else {
                batch.get(i).answer().completeExceptionally(new RaftUnavailableException(outcome.failure(), false));
            }
        }
    }
}
