package io.roster.raft;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Many calls of one leader operation in one peer message ({@link #OPERATION}), and the leader's answers to
 * them, each its own success or failure. Format 1 (which carries calls of version 1 of their operation):
 * <pre>
 * request:  u8 format, u16 length + operation (UTF-8), u32 count, count x (u32 length + request)
 * response: u8 format, u32 count, count x (u8 outcome, u32 length + answer or failure message)
 * </pre>
 */
final class LeaderCallBatch {

    /** The peer operation that carries a batch. */
    static final PeerOperation<byte[], byte[]> OPERATION = PeerOperation.onLeader("batch", PeerCodec.BYTES, PeerCodec.BYTES);
    private static final byte FORMAT = 1;
    private static final byte ANSWERED = 0;
    private static final byte FAILED = 1;
    /** More than the coalescer ever sends, so that a corrupt count cannot make the leader allocate much. */
    static final int MAX_CALLS = 4096;

    /** One call's outcome: an answer, or the message of its failure on the leader. */
    record Outcome(byte[] answer, String failure) {
    }

    private LeaderCallBatch() {
    }

    static byte[] encodeRequest(String operation, List<byte[]> requests) {
        byte[] name = operation.getBytes(StandardCharsets.UTF_8);
        int size = 1 + 2 + name.length + 4;
        for (byte[] request : requests) {
            size += 4 + request.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size).put(FORMAT).putShort((short) name.length).put(name).putInt(requests.size());
        for (byte[] request : requests) {
            buffer.putInt(request.length).put(request);
        }
        return buffer.array();
    }

    static List<Outcome> decodeResponse(byte[] body, int expected) {
        ByteBuffer buffer = ByteBuffer.wrap(body);
        try {
            requireFormat(buffer.get());
            int count = buffer.getInt();
            if (count != expected) {
                throw new IllegalArgumentException("a batch of " + expected + " calls was answered with " + count);
            }
            List<Outcome> outcomes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte outcome = buffer.get();
                byte[] bytes = bytes(buffer);
                outcomes.add(outcome == ANSWERED ? new Outcome(bytes, null) : new Outcome(null, new String(bytes, StandardCharsets.UTF_8)));
            }
            return outcomes;
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("a truncated batch answer", e);
        }
    }

    /**
     * Runs each call of a batch with its operation's handler, on the leader. A call that finds this
     * member no longer leading fails the whole batch with {@link NotLeaderException}, so that the caller
     * sends it again, whole, to the new leader; other failures are the failing call's own.
     */
    static CompletableFuture<byte[]> serve(byte[] body, PeerProtocol protocol) {
        String operation;
        List<byte[]> requests;
        try {
            ByteBuffer buffer = ByteBuffer.wrap(body);
            requireFormat(buffer.get());
            byte[] name = new byte[Short.toUnsignedInt(buffer.getShort())];
            buffer.get(name);
            operation = new String(name, StandardCharsets.UTF_8);
            int count = buffer.getInt();
            if (count < 0 || count > MAX_CALLS) {
                throw new IllegalArgumentException("a batch of " + count + " calls (at most " + MAX_CALLS + ")");
            }
            requests = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                requests.add(bytes(buffer));
            }
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a truncated batch request", e));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        PeerProtocol.Served<?, ?> served = protocol.served(operation);
        if (served == null || served.operation().servedBy() != PeerOperation.Served.BY_LEADER
                || OPERATION.name().equals(operation) || !served.operation().serves(1)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("peer operation " + operation
                    + " version 1 cannot be called in a batch here"));
        }
        EncodedPeerHandler handler = served.encoded();
        List<CompletableFuture<byte[]>> calls = new ArrayList<>(requests.size());
        for (byte[] request : requests) {
            CompletableFuture<byte[]> call;
            try {
                call = handler.handle(request);
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            calls.add(call);
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).handle((ignored, anyFailure) -> encodeResponse(calls));
    }

    private static byte[] encodeResponse(List<CompletableFuture<byte[]>> calls) {
        List<Outcome> outcomes = new ArrayList<>(calls.size());
        int size = 1 + 4;
        for (CompletableFuture<byte[]> call : calls) {
            Outcome outcome;
            try {
                outcome = new Outcome(call.join(), null);
            } catch (CompletionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cause instanceof NotLeaderException notLeader) {
                    throw notLeader;
                }
                outcome = new Outcome(null, String.valueOf(cause.getMessage()));
            }
            outcomes.add(outcome);
            size += 1 + 4 + payload(outcome).length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size).put(FORMAT).putInt(outcomes.size());
        for (Outcome outcome : outcomes) {
            byte[] payload = payload(outcome);
            buffer.put(outcome.failure() == null ? ANSWERED : FAILED).putInt(payload.length).put(payload);
        }
        return buffer.array();
    }

    private static byte[] payload(Outcome outcome) {
        return outcome.failure() == null ? outcome.answer() : outcome.failure().getBytes(StandardCharsets.UTF_8);
    }

    private static void requireFormat(byte format) {
        if (format != FORMAT) {
            throw new IllegalArgumentException("batch format " + format + " is not one this member reads (" + FORMAT + ")");
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
            throw new IndexOutOfBoundsException("a length of " + length + " with " + buffer.remaining() + " bytes left");
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }
}
