package io.roster.testing.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Names the dialer of a loopback connection by the process that owns its socket, on Linux and without root:
 * the connection's remote endpoint is the dialer's local one, whose socket inode {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6} give, and the candidate process holding {@code socket:[inode]} among its
 * {@code /proc/<pid>/fd} links is the dialer.
 */
public final class ProcessSocketOwners implements SourceResolver {

    /** How long to keep looking when the first scan misses, such as when a socket is not yet listed. */
    private static final Duration PATIENCE = Duration.ofMillis(500);
    private static final int MIN_ATTEMPTS = 3;
    private static final Duration RETRY_PAUSE = Duration.ofMillis(10);
    private static final Path PROC = Path.of("/proc");
    private static final Path TCP = PROC.resolve("net/tcp");
    private static final Path TCP6 = PROC.resolve("net/tcp6");

    private final Supplier<Map<Long, String>> candidates;

    /** @param candidates pid to name of the processes that may dial; asked on every lookup since members restart */
    public ProcessSocketOwners(Supplier<Map<Long, String>> candidates) {
        this.candidates = candidates;
    }

    @Override
    public String sourceOf(InetSocketAddress remote) {
        InetSocketAddress endpoint = withPlainAddress(remote);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (int attempt = 1; ; attempt++) {
            Optional<String> owner = ownerOf(endpoint);
            if (owner.isPresent()) {
                return owner.get();
            }
            // On a loaded machine one scan can outlast the patience, which must not leave it a single try.
            if (attempt >= MIN_ATTEMPTS && System.nanoTime() > deadline) {
                return UNKNOWN;
            }
            pause();
        }
    }

    private Optional<String> ownerOf(InetSocketAddress endpoint) {
        OptionalLong inode = socketInodeOf(endpoint);
        if (inode.isEmpty()) {
            return Optional.empty();
        }
        String link = "socket:[" + inode.getAsLong() + "]";
        return candidates.get().entrySet().stream()
                .filter(candidate -> holdsLink(candidate.getKey(), link))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    private static OptionalLong socketInodeOf(InetSocketAddress endpoint) {
        ByteOrder order = ByteOrder.nativeOrder();
        // Java dials from IPv6 sockets unless told otherwise, listed in tcp6 with an IPv4-mapped address.
        OptionalLong inode = inodeIn(TCP6, hexEndpoint(endpoint, order, true));
        if (inode.isEmpty() && endpoint.getAddress() instanceof Inet4Address) {
            inode = inodeIn(TCP, hexEndpoint(endpoint, order, false));
        }
        return inode;
    }

    private static OptionalLong inodeIn(Path table, String hexEndpoint) {
        try (Stream<String> lines = Files.lines(table, StandardCharsets.US_ASCII)) {
            return inodeOfLocalEndpoint(lines, hexEndpoint);
        } catch (IOException | UncheckedIOException e) {
            // No such table, as without IPv6; the other may still list the socket.
            return OptionalLong.empty();
        }
    }

    /**
     * The kernel prints an address as 32-bit words in its own byte order, so 127.0.0.1:8080 is
     * {@code 0100007F:1F90} on x86, and {@code 0000000000000000FFFF00000100007F:1F90} as an IPv4-mapped address in
     * {@code tcp6}.
     */
    static String hexEndpoint(InetSocketAddress endpoint, ByteOrder kernelOrder, boolean inTcp6) {
        byte[] address = endpoint.getAddress().getAddress();
        if (inTcp6 && address.length == 4) {
            address = ByteBuffer.allocate(16).put(10, (byte) 0xFF).put(11, (byte) 0xFF).put(12, address).array();
        }
        ByteBuffer words = ByteBuffer.wrap(address).order(kernelOrder);
        StringBuilder hex = new StringBuilder();
        while (words.hasRemaining()) {
            hex.append(String.format("%08X", words.getInt()));
        }
        return hex.append(String.format(":%04X", endpoint.getPort())).toString();
    }

    /** @param table the lines of {@code /proc/net/tcp} or {@code tcp6}, header first */
    static OptionalLong inodeOfLocalEndpoint(Stream<String> table, String hexEndpoint) {
        return table
                .filter(line -> line.contains(hexEndpoint))
                .map(line -> line.trim().split("\\s+"))
                .filter(fields -> fields.length >= 10 && fields[1].equals(hexEndpoint))
                .mapToLong(fields -> Long.parseLong(fields[9]))
                // Sockets in TIME_WAIT keep their endpoint but belong to no process any more.
                .filter(inode -> inode != 0)
                .findFirst();
    }

    /** {@link InetAddress#getByAddress(byte[])} turns an IPv4-mapped IPv6 address into IPv4. */
    private static InetSocketAddress withPlainAddress(InetSocketAddress remote) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(remote.getAddress().getAddress()), remote.getPort());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + remote, e);
        }
    }

    private static boolean holdsLink(long pid, String link) {
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(PROC.resolve(pid + "/fd"))) {
            for (Path descriptor : descriptors) {
                if (isLink(descriptor, link)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | UncheckedIOException e) {
            // The process has ended, or is not ours to look into.
            return false;
        }
    }

    private static boolean isLink(Path descriptor, String link) {
        try {
            return Files.readSymbolicLink(descriptor).toString().equals(link);
        } catch (IOException e) {
            // Closed between listing and reading.
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
