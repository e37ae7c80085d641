package io.roster.testing.net;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LinkProxyTest {

    /** Long enough that a byte the proxy would forward surely arrives in it on a busy machine. */
    private static final Duration QUIET_WINDOW = Duration.ofMillis(500);
    private static final int READ_TIMEOUT_MILLIS = 20_000;

    private final Network network = Network.of("a", "b");
    /** Closed last opened first. */
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private ServerSocket target;

    @BeforeEach
    void startTarget() throws IOException {
        target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        target.setSoTimeout(READ_TIMEOUT_MILLIS);
        toClose.push(target);
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    @Test
    void bytesPassBothWaysWithoutRules() throws Exception {
        Link link = connect(proxyFor("a"));

        send(link.dialer(), "ping");
        assertThat(receive(link.accepted(), 4)).isEqualTo("ping");
        send(link.accepted(), "pong");
        assertThat(receive(link.dialer(), 4)).isEqualTo("pong");
    }

    @Test
    void largeTransfersArriveIntactBothWaysAtOnce() throws Exception {
        Link link = connect(proxyFor("a"));
        byte[] upstream = randomBytes(4 * 1024 * 1024, 1);
        byte[] downstream = randomBytes(4 * 1024 * 1024, 2);

        CompletableFuture<Void> up = writeInBackground(link.dialer(), upstream);
        CompletableFuture<Void> down = writeInBackground(link.accepted(), downstream);

        assertThat(link.accepted().getInputStream().readNBytes(upstream.length)).isEqualTo(upstream);
        assertThat(link.dialer().getInputStream().readNBytes(downstream.length)).isEqualTo(downstream);
        CompletableFuture.allOf(up, down).get(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Test
    void halfCloseIsPassedOnAndTheOtherDirectionKeepsWorking() throws Exception {
        Link link = connect(proxyFor("a"));

        link.dialer().shutdownOutput();
        assertThat(link.accepted().getInputStream().read()).isEqualTo(-1);
        send(link.accepted(), "late reply");
        assertThat(receive(link.dialer(), 10)).isEqualTo("late reply");
        link.accepted().shutdownOutput();
        assertThat(link.dialer().getInputStream().read()).isEqualTo(-1);
    }

    @Test
    void cutResetsOpenConnectionsAndRejectsNewOnesUntilHealed() throws Exception {
        LinkProxy proxy = proxyFor("a");
        Link open = connect(proxy);

        network.cut("a", "b");

        assertEnded(open.dialer());
        assertEnded(open.accepted());
        assertRejected(proxy);
        assertNoConnectionReachesTarget();

        network.heal("a", "b");
        Link healed = connect(proxy);
        send(healed.dialer(), "back");
        assertThat(receive(healed.accepted(), 4)).isEqualTo("back");
    }

    @Test
    void cutOfTheReplyDirectionAlsoEndsConnectionsDialedTheOtherWay() throws Exception {
        Link link = connect(proxyFor("a"));

        network.cut("b", "a");

        assertEnded(link.dialer());
        assertEnded(link.accepted());
    }

    @Test
    void dropHoldsOneDirectionKeepsTheConnectionAndDeliversHeldBytesOnHeal() throws Exception {
        Link link = connect(proxyFor("a"));

        network.drop("a", "b");
        send(link.dialer(), "held");
        assertNothingArrives(link.accepted());
        send(link.accepted(), "reply");
        assertThat(receive(link.dialer(), 5)).isEqualTo("reply");

        network.heal("a", "b");
        assertThat(receive(link.accepted(), 4)).isEqualTo("held");
    }

    @Test
    void dropLetsNewConnectionsOpenButHoldsTheirBytes() throws Exception {
        LinkProxy proxy = proxyFor("a");
        network.drop("a", "b");

        Link link = connect(proxy);
        send(link.dialer(), "first");
        assertNothingArrives(link.accepted());

        network.healAll();
        assertThat(receive(link.accepted(), 5)).isEqualTo("first");
    }

    @Test
    void dropBeyondTheHoldLimitPushesBackOnTheSenderAndLosesNothing() throws Exception {
        Link link = connect(proxyFor("a"));
        // More than the proxy holds plus what the kernel buffers for the dialer's socket and the proxy's.
        byte[] bytes = randomBytes(4 * DirectionPump.HOLD_LIMIT_BYTES, 3);
        network.drop("a", "b");

        CompletableFuture<Void> writing = writeInBackground(link.dialer(), bytes);
        assertThatThrownBy(() -> writing.get(QUIET_WINDOW.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(java.util.concurrent.TimeoutException.class);

        network.heal("a", "b");
        assertThat(link.accepted().getInputStream().readNBytes(bytes.length)).isEqualTo(bytes);
        writing.get(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Test
    void delayHoldsEachChunkForTheDelayAndKeepsTheirOrder() throws Exception {
        Link link = connect(proxyFor("a"));
        Duration delay = Duration.ofMillis(300);
        network.delay("a", "b", delay);

        long start = System.nanoTime();
        send(link.dialer(), "one,");
        send(link.dialer(), "two,");
        send(link.dialer(), "three");
        assertThat(receive(link.accepted(), 13)).isEqualTo("one,two,three");
        send(link.accepted(), "ok");
        assertThat(receive(link.dialer(), 2)).isEqualTo("ok");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(delay);
    }

    @Test
    void unidentifiedDialersGetOnlyTheRulesOfUnknown() throws Exception {
        LinkProxy proxy = start(remote -> null);
        network.drop("a", "b");
        Link link = connect(proxy);

        send(link.dialer(), "free");
        assertThat(receive(link.accepted(), 4)).isEqualTo("free");

        network.drop(SourceResolver.UNKNOWN, "b");
        send(link.dialer(), "held");
        assertNothingArrives(link.accepted());
    }

    @Test
    void dialersOnOneListenerAreToldApartByTheirProcess() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux's /proc");
        Network members = Network.of("n1", "client", "b");
        Map<Long, String> dialers = new ConcurrentHashMap<>(Map.of(ProcessHandle.current().pid(), "client"));
        LinkProxy proxy = LinkProxy.start("b", targetAddress(), new ProcessSocketOwners(() -> dialers), members);
        toClose.push(proxy);
        members.drop("n1", "b");

        ChildDialer child = ChildDialer.dial(proxy.address(), "from-n1");
        toClose.push(child);
        // The child may dial before it is named here; the lookup asks for the candidates again as it retries.
        dialers.put(child.pid(), "n1");
        Socket fromChild = accept();
        Link fromClient = connect(proxy);

        send(fromClient.dialer(), "from-client");
        assertThat(receive(fromClient.accepted(), 11)).isEqualTo("from-client");
        assertNothingArrives(fromChild);

        members.heal("n1", "b");
        assertThat(receive(fromChild, 8)).isEqualTo("from-n1\n");
    }

    @Test
    void closeEndsEveryThreadAndTheListener() throws Exception {
        LinkProxy proxy = proxyFor("a");
        Link link = connect(proxy);
        network.drop("a", "b");
        send(link.dialer(), "held at close");

        proxy.close();

        assertThat(Thread.getAllStackTraces().keySet())
                .extracting(Thread::getName)
                .noneMatch(name -> name.startsWith(LinkProxy.THREAD_NAME_PREFIX));
        assertEnded(link.dialer());
        assertThatThrownBy(() -> dial(proxy)).isInstanceOf(ConnectException.class);
    }

    private LinkProxy proxyFor(String source) throws IOException {
        return start(SourceResolver.fixed(source));
    }

    private LinkProxy start(SourceResolver resolver) throws IOException {
        LinkProxy proxy = LinkProxy.start("b", targetAddress(), resolver, network);
        toClose.push(proxy);
        return proxy;
    }

    private InetSocketAddress targetAddress() {
        return new InetSocketAddress(target.getInetAddress(), target.getLocalPort());
    }

    private record Link(Socket dialer, Socket accepted) {
    }

    private Link connect(LinkProxy proxy) throws IOException {
        Socket dialer = dial(proxy);
        return new Link(dialer, accept());
    }

    private Socket dial(LinkProxy proxy) throws IOException {
        Socket socket = new Socket();
        toClose.push(socket);
        socket.connect(proxy.address(), READ_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return socket;
    }

    private Socket accept() throws IOException {
        Socket socket = target.accept();
        toClose.push(socket);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return socket;
    }

    /** The proxy's reset may come before the dialer's connect returns, or after. */
    private void assertRejected(LinkProxy proxy) {
        Socket dialer;
        try {
            dialer = dial(proxy);
        } catch (IOException e) {
            assertThat(e).isInstanceOf(SocketException.class);
            return;
        }
        assertEnded(dialer);
    }

    private void assertNoConnectionReachesTarget() throws IOException {
        target.setSoTimeout((int) QUIET_WINDOW.toMillis());
        try {
            assertThatThrownBy(target::accept).isInstanceOf(SocketTimeoutException.class);
        } finally {
            target.setSoTimeout(READ_TIMEOUT_MILLIS);
        }
    }

    private static void assertNothingArrives(Socket socket) throws IOException {
        socket.setSoTimeout((int) QUIET_WINDOW.toMillis());
        try {
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        } finally {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        }
    }

    /** A reset or an end of stream, but not silence: the read times out only after READ_TIMEOUT_MILLIS. */
    private static void assertEnded(Socket socket) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            try {
                InputStream in = socket.getInputStream();
                return in.read() == -1;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            }
        });
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String receive(Socket socket, int length) throws IOException {
        byte[] bytes = socket.getInputStream().readNBytes(length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static CompletableFuture<Void> writeInBackground(Socket socket, byte[] bytes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread writer = new Thread(() -> {
            try {
                socket.getOutputStream().write(bytes);
                done.complete(null);
            } catch (IOException e) {
                done.completeExceptionally(e);
            }
        }, "test-writer");
        writer.setDaemon(true);
        writer.start();
        return done;
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
