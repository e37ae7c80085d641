package io.roster.testing.net;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One connection through a proxy: the dialer's socket, the socket to the target, and a pump for each direction
 * (upstream carries source->target bytes, downstream target->source).
 */
final class ProxiedConnection {

    private final String source;
    private final String target;
    private final Socket dialer;
    private final Socket upstream;
    private final Network network;
    private final Consumer<ProxiedConnection> onClosed;
    private final DirectionPump toTarget;
    private final DirectionPump toSource;
    private final AtomicInteger endedDirections = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    ProxiedConnection(String source, String target, Socket dialer, Socket upstream, Network network,
                      Consumer<ProxiedConnection> onClosed) {
        this.source = source;
        this.target = target;
        this.dialer = dialer;
        this.upstream = upstream;
        this.network = network;
        this.onClosed = onClosed;
        this.toTarget = new DirectionPump(source, target, dialer, upstream, network, this);
        this.toSource = new DirectionPump(target, source, upstream, dialer, network, this);
    }

    void start(DaemonThreads threads, String namePrefix) {
        toTarget.start(threads, namePrefix);
        toSource.start(threads, namePrefix);
    }

    /** Applies a rule change: a cut resets the connection, anything else may free held or delayed bytes. */
    void rulesChanged() {
        if (network.isCutEitherWay(source, target)) {
            abort();
        } else {
            toTarget.wake();
            toSource.wake();
        }
    }

    /** Resets both ends, as a REJECT or a failed peer would; does nothing once closed. */
    void abort() {
        if (closed.compareAndSet(false, true)) {
            resetQuietly(dialer);
            resetQuietly(upstream);
            stopAndReport();
        }
    }

    /** Both ends have sent FIN and it has been passed on, so the connection is over without a reset. */
    void directionEnded() {
        if (endedDirections.incrementAndGet() == 2 && closed.compareAndSet(false, true)) {
            closeQuietly(dialer);
            closeQuietly(upstream);
            stopAndReport();
        }
    }

    private void stopAndReport() {
        toTarget.stop();
        toSource.stop();
        onClosed.accept(this);
    }

    private static void resetQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // Already closed: nothing left to reset.
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is best effort; the socket is unusable either way.
        }
    }

    @Override
    public String toString() {
        return source + "->" + target + " " + dialer.getRemoteSocketAddress();
    }
}
