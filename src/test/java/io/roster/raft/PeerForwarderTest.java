package io.roster.raft;

import com.alipay.sofa.jraft.util.Endpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeerForwarderTest {

    private static final Endpoint LEADER = new Endpoint("127.0.0.1", 1);
    private static final Endpoint NEW_LEADER = new Endpoint("127.0.0.1", 2);

    /** Records what is sent; the first send can be held to let requests queue up behind it. */
    private static final class FakeTransport implements PeerForwarder.Transport {
        final List<Object> sent = new ArrayList<>();
        final List<Endpoint> targets = new ArrayList<>();
        final List<BiConsumer<Object, Throwable>> callbacks = new ArrayList<>();
        final CountDownLatch firstSendEntered = new CountDownLatch(1);
        final CountDownLatch releaseFirstSend = new CountDownLatch(1);
        RuntimeException failWith;

        @Override
        public void send(Endpoint leader, Object request, long timeoutMillis, BiConsumer<Object, Throwable> callback) {
            boolean first;
            synchronized (this) {
                first = sent.isEmpty();
            }
            if (first) {
                firstSendEntered.countDown();
                try {
                    releaseFirstSend.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (this) {
                sent.add(request);
                targets.add(leader);
                callbacks.add(callback);
            }
            if (failWith != null) {
                throw failWith;
            }
        }

        synchronized int sends() {
            return sent.size();
        }
    }

    private final FakeTransport transport = new FakeTransport();
    private final PeerForwarder forwarder = new PeerForwarder(transport, "test-forwarder");

    @AfterEach
    void close() {
        transport.releaseFirstSend.countDown();
        forwarder.close();
    }

    private static PeerRequest request(String body) {
        return new PeerRequest("op", body.getBytes());
    }

    private static long inFiveSeconds() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    }

    @Test
    void aLoneRequestGoesOutAtOnceAsAPlainRequest() {
        transport.releaseFirstSend.countDown();
        CompletableFuture<PeerResponse> answer = forwarder.send(LEADER, request("a"), inFiveSeconds());

        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.sends() == 1);
        assertThat(transport.sent.get(0)).isInstanceOf(PeerRequest.class);
        transport.callbacks.get(0).accept(PeerResponse.ok("A".getBytes()), null);
        assertThat(answer.join().body()).isEqualTo("A".getBytes());
    }

    @Test
    void requestsThatQueueWhileASendIsUnderWayGoOutAsOneBatchAndGetTheirOwnAnswers() throws Exception {
        CompletableFuture<PeerResponse> first = forwarder.send(LEADER, request("first"), inFiveSeconds());
        assertThat(transport.firstSendEntered.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<PeerResponse>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(forwarder.send(LEADER, request("q" + i), inFiveSeconds()));
        }
        transport.releaseFirstSend.countDown();

        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.sends() == 2);
        PeerBatch batch = (PeerBatch) transport.sent.get(1);
        assertThat(batch.requests()).extracting(r -> new String(r.body())).containsExactly("q0", "q1", "q2");
        transport.callbacks.get(1).accept(new PeerBatchResponse(new PeerResponse[] {
                PeerResponse.ok("0".getBytes()), PeerResponse.error(PeerResponse.NOT_LEADER, "moved"), PeerResponse.ok("2".getBytes())}), null);
        assertThat(queued.get(0).join().body()).isEqualTo("0".getBytes());
        assertThat(queued.get(1).join().status()).isEqualTo(PeerResponse.NOT_LEADER);
        assertThat(queued.get(2).join().body()).isEqualTo("2".getBytes());
        assertThat(first).isNotDone();
    }

    @Test
    void aLostBatchAnswerFailsEveryRequestInItAsPossiblyApplied() throws Exception {
        forwarder.send(LEADER, request("first"), inFiveSeconds());
        assertThat(transport.firstSendEntered.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<PeerResponse> a = forwarder.send(LEADER, request("a"), inFiveSeconds());
        CompletableFuture<PeerResponse> b = forwarder.send(LEADER, request("b"), inFiveSeconds());
        transport.releaseFirstSend.countDown();

        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.sends() == 2);
        transport.callbacks.get(1).accept(null, new RuntimeException("connection reset"));
        assertThatThrownBy(a::join).hasCauseInstanceOf(PeerForwarder.AnswerLostException.class).hasMessageContaining("connection reset");
        assertThatThrownBy(b::join).hasCauseInstanceOf(PeerForwarder.AnswerLostException.class);
    }

    @Test
    void whenNothingCouldBeSentEveryRequestFailsAsNotSent() {
        transport.releaseFirstSend.countDown();
        transport.failWith = new PeerForwarder.NotSentException("connection refused", null);
        CompletableFuture<PeerResponse> answer = forwarder.send(LEADER, request("a"), inFiveSeconds());

        assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(PeerForwarder.NotSentException.class).hasMessageContaining("connection refused");
    }

    @Test
    void requestsForDifferentLeadersAreNotBatchedTogether() throws Exception {
        forwarder.send(LEADER, request("first"), inFiveSeconds());
        assertThat(transport.firstSendEntered.await(5, TimeUnit.SECONDS)).isTrue();
        forwarder.send(LEADER, request("old"), inFiveSeconds());
        forwarder.send(NEW_LEADER, request("new1"), inFiveSeconds());
        forwarder.send(NEW_LEADER, request("new2"), inFiveSeconds());
        transport.releaseFirstSend.countDown();

        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.sends() == 3);
        assertThat(transport.targets.subList(1, 3)).containsExactly(LEADER, NEW_LEADER);
        assertThat(transport.sent.get(1)).isInstanceOf(PeerRequest.class);
        assertThat(((PeerBatch) transport.sent.get(2)).requests()).hasSize(2);
    }

    @Test
    void aBatchStopsGrowingAtItsByteLimit() throws Exception {
        forwarder.send(LEADER, request("first"), inFiveSeconds());
        assertThat(transport.firstSendEntered.await(5, TimeUnit.SECONDS)).isTrue();
        String big = "x".repeat(PeerForwarder.MAX_BATCH_BYTES / 2 + 1);
        forwarder.send(LEADER, request(big), inFiveSeconds());
        forwarder.send(LEADER, request(big), inFiveSeconds());
        transport.releaseFirstSend.countDown();

        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.sends() == 3);
        assertThat(transport.sent.subList(1, 3)).allMatch(PeerRequest.class::isInstance);
    }

    @Test
    void closingFailsWhatIsStillQueued() throws Exception {
        forwarder.send(LEADER, request("first"), inFiveSeconds());
        assertThat(transport.firstSendEntered.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<PeerResponse> queued = forwarder.send(LEADER, request("queued"), inFiveSeconds());

        forwarder.close();
        transport.releaseFirstSend.countDown();
        assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(PeerForwarder.NotSentException.class);
        assertThatThrownBy(() -> forwarder.send(LEADER, request("late"), inFiveSeconds()).join())
                .hasCauseInstanceOf(PeerForwarder.NotSentException.class);
    }
}
