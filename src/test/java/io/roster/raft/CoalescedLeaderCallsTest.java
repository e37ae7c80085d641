package io.roster.raft;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The follower's side of batched leader calls, against a leader played by {@link LeaderCallBatch#serve}
 * over real handlers, with the answers held back until the test lets them go.
 */
class CoalescedLeaderCallsTest {

    private static final String ECHO = "echo";

    /** One message the follower sent: its operation, its body, and the leader's answer once released. */
    private record Sent(String operation, byte[] body, CompletableFuture<byte[]> answer) {
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final AtomicLong clock = new AtomicLong();
    private final List<Integer> perMessage = new CopyOnWriteArrayList<>();
    private final PeerProtocol leader = serving(request -> {
        String text = text(request);
        if (text.startsWith("fail")) {
            return CompletableFuture.failedFuture(new IllegalStateException("no " + text));
        }
        return CompletableFuture.completedFuture(("echo " + text).getBytes(StandardCharsets.UTF_8));
    });
    private final CoalescedLeaderCalls calls = new CoalescedLeaderCalls(ECHO, (operation, body) -> {
        Sent message = new Sent(operation, body, new CompletableFuture<>());
        sent.add(message);
        return message.answer();
    }, clock::get, perMessage::add);

    @Test
    void aLoneCallGoesOutAtOnceAsItself() {
        CompletableFuture<byte[]> answer = calls.call(bytes("a"));

        assertThat(sent).singleElement().satisfies(message -> assertThat(message.operation()).isEqualTo(ECHO));
        release(0);
        assertThat(text(answer.join())).isEqualTo("echo a");
    }

    @Test
    void callsThatArriveWhileTwoAreOnTheirWayLeaveTogetherWhenOneReturns() {
        CompletableFuture<byte[]> first = calls.call(bytes("1"));
        CompletableFuture<byte[]> second = calls.call(bytes("2"));
        List<CompletableFuture<byte[]>> waiting = new ArrayList<>();
        for (int i = 3; i <= 10; i++) {
            waiting.add(calls.call(bytes(Integer.toString(i))));
        }
        assertThat(sent).as("two in flight, the rest wait").hasSize(2);

        release(0);
        assertThat(text(first.join())).isEqualTo("echo 1");
        assertThat(sent).hasSize(3);
        assertThat(sent.get(2).operation()).isEqualTo(LeaderCallBatch.OPERATION.name());
        release(2);
        for (int i = 0; i < waiting.size(); i++) {
            assertThat(text(waiting.get(i).join())).as("each caller gets its own answer").isEqualTo("echo " + (i + 3));
        }
        release(1);
        assertThat(text(second.join())).isEqualTo("echo 2");
        assertThat(sent).as("nothing left to send").hasSize(3);
        assertThat(perMessage).as("calls per message, as the metrics see them").containsExactly(1, 1, 8);
    }

    @Test
    void aCallThatFailsOnTheLeaderFailsAloneAndAFailedBatchFailsEveryCallInIt() {
        calls.call(bytes("x"));
        calls.call(bytes("y"));
        CompletableFuture<byte[]> ok = calls.call(bytes("ok"));
        CompletableFuture<byte[]> failing = calls.call(bytes("fail-me"));
        release(0);
        release(2);
        assertThat(text(ok.join())).isEqualTo("echo ok");
        assertThatThrownBy(failing::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(RaftUnavailableException.class).hasMessage("no fail-me");

        calls.call(bytes("z")); // in flight beside y
        CompletableFuture<byte[]> third = calls.call(bytes("3"));
        CompletableFuture<byte[]> fourth = calls.call(bytes("4"));
        release(1);
        assertThat(sent.get(4).operation()).isEqualTo(LeaderCallBatch.OPERATION.name());
        sent.get(4).answer().completeExceptionally(new RaftUnavailableException("no leader could serve it", false));
        assertThat(List.of(third, fourth)).allSatisfy(call -> assertThatThrownBy(call::join)
                .cause().isInstanceOf(RaftUnavailableException.class).hasMessage("no leader could serve it"));
    }

    @Test
    void aLeaderThatDoesNotKnowBatchesGetsTheCallsOneByOneForAWhile() {
        calls.call(bytes("x"));
        calls.call(bytes("y"));
        CompletableFuture<byte[]> a = calls.call(bytes("a"));
        CompletableFuture<byte[]> b = calls.call(bytes("b"));
        release(0);
        sent.get(2).answer().completeExceptionally(new UnknownPeerOperationException("unknown peer operation batch"));

        assertThat(sent.subList(3, 5)).extracting(Sent::operation).containsExactly(ECHO, ECHO);
        release(3);
        release(4);
        assertThat(text(a.join())).isEqualTo("echo a");
        assertThat(text(b.join())).isEqualTo("echo b");

        release(1);
        calls.call(bytes("p"));
        calls.call(bytes("q"));
        calls.call(bytes("r"));
        calls.call(bytes("s"));
        assertThat(sent.subList(5, 7)).extracting(Sent::operation).as("still one by one").containsExactly(ECHO, ECHO);
        release(5);
        assertThat(sent.subList(7, 9)).extracting(Sent::operation).containsExactly(ECHO, ECHO);
        release(6);
        release(7);
        release(8);

        clock.addAndGet(TimeUnit.SECONDS.toNanos(31));
        calls.call(bytes("t"));
        calls.call(bytes("u"));
        calls.call(bytes("v"));
        calls.call(bytes("w"));
        release(9);
        assertThat(sent.get(sent.size() - 1).operation()).as("batches again after a while").isEqualTo(LeaderCallBatch.OPERATION.name());
    }

    @Test
    void aBatchThatFindsTheLeaderGoneFailsWholeSoThatItIsSentAgain() {
        PeerProtocol deposed = serving(request -> CompletableFuture.failedFuture(new NotLeaderException("stepped down")));
        CompletableFuture<byte[]> served = LeaderCallBatch.serve(LeaderCallBatch.encodeRequest(ECHO, List.of(bytes("a"), bytes("b"))), deposed);

        assertThatThrownBy(served::join).cause().isInstanceOf(NotLeaderException.class);
    }

    @Test
    void theLeaderRefusesMalformedBatchesWithoutAllocatingForThem() {
        byte[] good = LeaderCallBatch.encodeRequest(ECHO, List.of(bytes("a"), bytes("bb")));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
        byte[] hugeCount = good.clone();
        int countAt = 1 + 2 + ECHO.length();
        hugeCount[countAt] = 0x7f;
        byte[] otherFormat = good.clone();
        otherFormat[0] = 9;

        assertThatThrownBy(() -> LeaderCallBatch.serve(truncated, leader).join()).hasMessageContaining("truncated");
        assertThatThrownBy(() -> LeaderCallBatch.serve(hugeCount, leader).join()).hasMessageContaining("at most");
        assertThatThrownBy(() -> LeaderCallBatch.serve(otherFormat, leader).join()).hasMessageContaining("format 9");
        assertThatThrownBy(() -> LeaderCallBatch.serve(LeaderCallBatch.encodeRequest("nope", List.of(bytes("a"))), leader).join())
                .hasMessageContaining("peer operation nope version 1 cannot be called in a batch");
        assertThat(LeaderCallBatch.decodeResponse(LeaderCallBatch.serve(good, leader).join(), 2))
                .extracting(outcome -> text(outcome.answer())).containsExactly("echo a", "echo bb");
    }

    private static PeerProtocol serving(PeerHandler<byte[], byte[]> echo) {
        PeerProtocol protocol = new PeerProtocol();
        protocol.serve(PeerOperation.onLeader(ECHO, PeerCodec.BYTES, PeerCodec.BYTES), echo);
        return protocol;
    }

    /** Lets the leader answer message {@code index} as the real one would. */
    private void release(int index) {
        Sent message = sent.get(index);
        CompletableFuture<byte[]> answer = LeaderCallBatch.OPERATION.name().equals(message.operation())
                ? LeaderCallBatch.serve(message.body(), leader) : leader.served(message.operation()).encoded().handle(message.body());
        answer.whenComplete((body, error) -> {
            if (error == null) {
                message.answer().complete(body);
            } else {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                message.answer().completeExceptionally(new RaftUnavailableException(cause.getMessage(), false));
            }
        });
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
