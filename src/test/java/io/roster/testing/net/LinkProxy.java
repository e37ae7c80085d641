package io.roster.testing.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of one member's port, applying the {@link Network}'s faults to each
 * connection by the names of its source (found by a {@link SourceResolver}) and of its target.
 *
 * <p>New connections are accepted and dialed through to the target at once, even under {@link Fault#DROP}: the
 * dialer then sees a connection whose bytes go nowhere, as with a firewall that drops packets after the
 * handshake. Under {@link Fault#CUT} either way they are reset on accept and the target never sees them. If the
 * target is down, the dialer's connection is reset, as the real port would refuse it.
 */
public final class LinkProxy implements AutoCloseable {

    /** The start of the name of every thread a proxy runs. */
    static final String THREAD_NAME_PREFIX = "link-proxy";

    private static final Duration TARGET_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * A fixed receive buffer turns off the kernel's autotuning, which could otherwise let tens of megabytes pile up
     * in the proxy's sockets on top of what it holds itself, and so keep a dropped sender from being pushed back.
     */
    private static final int SOCKET_RECEIVE_BUFFER_BYTES = 256 * 1024;

    private final String targetName;
    private final InetSocketAddress target;
    private final SourceResolver resolver;
    private final Network network;
    private final ServerSocket listener;
    private final DaemonThreads threads = new DaemonThreads();
    private final Set<ProxiedConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionCount = new AtomicLong();
    private final Runnable onRulesChanged = () -> connections.forEach(ProxiedConnection::rulesChanged);
    private Thread acceptor;

    private LinkProxy(String targetName, InetSocketAddress target, SourceResolver resolver, Network network,
                      ServerSocket listener) {
        this.targetName = targetName;
        this.target = target;
        this.resolver = resolver;
        this.network = network;
        this.listener = listener;
    }

    /** Listens on an ephemeral loopback port, see {@link #port()}. */
    public static LinkProxy start(String targetName, InetSocketAddress target, SourceResolver resolver,
                                  Network network) throws IOException {
        ServerSocket listener = new ServerSocket();
        try {
            listener.setReceiveBufferSize(SOCKET_RECEIVE_BUFFER_BYTES);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        LinkProxy proxy = new LinkProxy(targetName, target, resolver, network, listener);
        network.addChangeListener(proxy.onRulesChanged);
        proxy.acceptor = proxy.threads.start(proxy.threadNamePrefix() + " accept", proxy::acceptUntilClosed);
        return proxy;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Where to dial instead of the target. */
    public InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    public String targetName() {
        return targetName;
    }

    /** Stops listening and resets every connection; returns once all of the proxy's threads have ended. */
    @Override
    public void close() {
        network.removeChangeListener(onRulesChanged);
        try {
            listener.close();
        } catch (IOException e) {
            // The accept thread ends on the close either way.
        }
        // The accept thread goes first so that no connection can be opened after the others are reset.
        DaemonThreads.join(List.of(acceptor), CLOSE_TIMEOUT);
        List.copyOf(connections).forEach(ProxiedConnection::abort);
        threads.joinAll(CLOSE_TIMEOUT);
    }

    private void acceptUntilClosed() {
        while (true) {
            Socket dialer;
            try {
                dialer = listener.accept();
            } catch (IOException e) {
                return;
            }
            open(dialer);
        }
    }

    private void open(Socket dialer) {
        String source = sourceOf(dialer);
        if (network.isCutEitherWay(source, targetName)) {
            reset(dialer);
            return;
        }
        Socket upstream = new Socket();
        try {
            dialer.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.setReceiveBufferSize(SOCKET_RECEIVE_BUFFER_BYTES);
            upstream.connect(target, (int) TARGET_CONNECT_TIMEOUT.toMillis());
        } catch (IOException e) {
            reset(dialer);
            reset(upstream);
            return;
        }
        ProxiedConnection connection = new ProxiedConnection(source, targetName, dialer, upstream, network,
                connections::remove);
        connections.add(connection);
        connection.start(threads, threadNamePrefix() + " #" + connectionCount.incrementAndGet());
        // A cut made while this connection was being opened was not applied to it.
        connection.rulesChanged();
    }

    private String sourceOf(Socket dialer) {
        try {
            String source = resolver.sourceOf((InetSocketAddress) dialer.getRemoteSocketAddress());
            return source == null ? SourceResolver.UNKNOWN : source;
        } catch (RuntimeException e) {
            return SourceResolver.UNKNOWN;
        }
    }

    private String threadNamePrefix() {
        return THREAD_NAME_PREFIX + " " + targetName + ":" + port();
    }

    private static void reset(Socket socket) {
        try (socket) {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
            }
        } catch (IOException e) {
            // A socket that cannot be reset is closed all the same.
        }
    }

    @Override
    public String toString() {
        return "LinkProxy :" + port() + " -> " + targetName + " " + target;
    }
}
