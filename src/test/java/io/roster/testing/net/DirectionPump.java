package io.roster.testing.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Moves the bytes of one direction of a proxied connection. A reader thread queues what arrives and a delivery
 * thread forwards it once the direction's fault allows, so a held or delayed direction keeps reading (up to
 * {@link #HOLD_LIMIT_BYTES}, then TCP back-pressure takes over) and chunks are delayed side by side, not one
 * after another.
 */
final class DirectionPump {

    /** Past this many queued bytes the reader stops, so a long drop cannot exhaust the test JVM's heap. */
    static final int HOLD_LIMIT_BYTES = 8 * 1024 * 1024;

    private static final int READ_BUFFER_BYTES = 64 * 1024;

    /** @param bytes null for the end of the stream, which is held and delayed like data */
    private record Chunk(byte[] bytes, long readAtNanos) {
        boolean isEnd() {
            return bytes == null;
        }
    }

    private final String from;
    private final String to;
    private final Socket in;
    private final Socket out;
    private final Network network;
    private final ProxiedConnection connection;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean stopped;

    DirectionPump(String from, String to, Socket in, Socket out, Network network, ProxiedConnection connection) {
        this.from = from;
        this.to = to;
        this.in = in;
        this.out = out;
        this.network = network;
        this.connection = connection;
    }

    void start(DaemonThreads threads, String namePrefix) {
        String direction = namePrefix + " " + from + "->" + to;
        threads.start(direction + " read", this::readUntilEnd);
        threads.start(direction + " deliver", this::deliverUntilEnd);
    }

    /** Makes a waiting delivery look at the rules again. */
    void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void stop() {
        lock.lock();
        try {
            stopped = true;
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void readUntilEnd() {
        byte[] buffer = new byte[READ_BUFFER_BYTES];
        try {
            InputStream input = in.getInputStream();
            while (awaitRoom()) {
                int read = input.read(buffer);
                enqueue(read < 0 ? null : Arrays.copyOf(buffer, read));
                if (read < 0) {
                    return;
                }
            }
        } catch (IOException e) {
            // A reset by the peer, or our own close; either way the connection is over.
            connection.abort();
        }
    }

    private void deliverUntilEnd() {
        try {
            OutputStream output = out.getOutputStream();
            for (Chunk chunk = nextDeliverable(); chunk != null; chunk = nextDeliverable()) {
                if (chunk.isEnd()) {
                    out.shutdownOutput();
                    connection.directionEnded();
                    return;
                }
                output.write(chunk.bytes());
            }
            // Stopped, or cut: abort does nothing in the first case and resets both ends in the second.
            connection.abort();
        } catch (IOException e) {
            connection.abort();
        }
    }

    private boolean awaitRoom() {
        lock.lock();
        try {
            while (!stopped && queuedBytes >= HOLD_LIMIT_BYTES) {
                changed.awaitUninterruptibly();
            }
            return !stopped;
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(byte[] bytes) {
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            queue.add(new Chunk(bytes, System.nanoTime()));
            queuedBytes += bytes == null ? 0 : bytes.length;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return the next chunk the rules let through now, or null once stopped or cut */
    private Chunk nextDeliverable() {
        lock.lock();
        try {
            while (!stopped && !network.isCutEitherWay(from, to)) {
                Chunk head = queue.peek();
                Optional<Fault> fault = network.faultOf(from, to);
                if (head == null || fault.filter(f -> f.kind() == Fault.Kind.DROP).isPresent()) {
                    changed.awaitUninterruptibly();
                    continue;
                }
                long dueInNanos = fault.map(f -> head.readAtNanos() + f.delay().toNanos() - System.nanoTime()).orElse(0L);
                if (dueInNanos > 0) {
                    awaitNanos(dueInNanos);
                    continue;
                }
                queue.poll();
                queuedBytes -= head.isEnd() ? 0 : head.bytes().length;
                changed.signalAll();
                return head;
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    private void awaitNanos(long nanos) {
        try {
            changed.awaitNanos(nanos);
        } catch (InterruptedException e) {
            // Nobody interrupts these threads; should someone, the loop simply re-checks.
            Thread.interrupted();
        }
    }
}
