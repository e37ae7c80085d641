package io.roster.raft;

import io.roster.config.PeerUrl;
import io.roster.testing.FreePorts;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Members that give no answer, asked together: each is reported unreachable, saying why, and a silent one
 * costs the whole question one timeout, not one each. Members that answer are asked in
 * {@code io.roster.cluster.ClusterStatusTest}, against a real cluster.
 */
class PeerProbeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Any question will do: nobody answers it here. */
    private static final PeerOperation<Void, Void> QUESTION = PeerOperation.onAnyMember("test.question", PeerCodec.NONE, PeerCodec.NONE);

    @Test
    void membersThatGiveNoAnswerAreAskedTogetherAndSayWhy() throws Exception {
        List<ServerSocket> silent = new ArrayList<>();
        try {
            List<PeerUrl> peers = new ArrayList<>();
            // Accepts connections (the kernel completes them) and never answers: each call waits its whole timeout.
            for (int i = 0; i < 3; i++) {
                ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                silent.add(socket);
                peers.add(PeerUrl.parse("http://127.0.0.1:" + socket.getLocalPort(), "silent member"));
            }
            PeerUrl refused = PeerUrl.parse("http://127.0.0.1:" + FreePorts.next(), "stopped member");
            peers.add(refused);

            long start = System.nanoTime();
            Map<PeerUrl, CompletableFuture<Void>> answers = new PeerProbe(PeerTransport.PLAIN)
                    .askEach(peers, QUESTION, null, TIMEOUT);
            CompletableFuture.allOf(answers.values().toArray(CompletableFuture[]::new)).handle((ignored, error) -> null).join();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(answers).hasSize(4);
            for (PeerUrl peer : peers.subList(0, 3)) {
                assertThat(answers.get(peer)).failsWithin(Duration.ZERO).withThrowableThat().havingCause()
                        .isInstanceOf(PeerUnreachableException.class).withMessage("no answer within 1000 ms");
            }
            assertThat(answers.get(refused)).failsWithin(Duration.ZERO).withThrowableThat().havingCause()
                    .isInstanceOf(PeerUnreachableException.class).withMessage("connection refused");
            assertThat(took).as("three silent members asked one after another would take three timeouts")
                    .isLessThan(TIMEOUT.multipliedBy(2));
            assertThat(new PeerProbe(PeerTransport.PLAIN).ask(peers, QUESTION, null, TIMEOUT))
                    .as("ask leaves out the members that did not answer").isEmpty();
        } finally {
            for (ServerSocket socket : silent) {
                socket.close();
            }
        }
    }
}
