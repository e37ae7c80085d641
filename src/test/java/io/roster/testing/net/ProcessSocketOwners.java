package io.roster.testing.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Names the dialer of a loopback connection by the process that owns its socket, on Linux and without root:
 * the connection's remote endpoint is the dialer's local one, whose socket inode {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6} give, and the candidate process holding {@code socket:[inode]} among its
 * {@code /proc/<pid>/fd} links is the dialer.
 */
public final class ProcessSocketOwners implements SourceResolver {

    /** How long to keep looking when the first scan misses, such as when a socket is not yet listed. */
    private static final Duration PATIENCE = Duration.ofMillis(500);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(10);
    private static final Path PROC = Path.of("/proc");
    private static final List<Path> SOCKET_TABLES = List.of(PROC.resolve("net/tcp"), PROC.resolve("net/tcp6"));

    private final Supplier<Map<Long, String>> candidates;

    /** @param candidates pid to name of the processes that may dial; asked on every lookup since members restart */
    public ProcessSocketOwners(Supplier<Map<Long, String>> candidates) {
        this.candidates = candidates;
    }

    @Override
    public String sourceOf(InetSocketAddress remote) {
        InetSocketAddress endpoint = withPlainAddress(remote);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            Optional<String> owner = ownerOf(endpoint);
            if (owner.isPresent()) {
                return owner.get();
            }
            if (System.nanoTime() > deadline) {
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
        for (Path table : SOCKET_TABLES) {
            try {
                OptionalLong inode = inodeOfLocalEndpoint(Files.readAllLines(table), endpoint, ByteOrder.nativeOrder());
                if (inode.isPresent()) {
                    return inode;
                }
            } catch (IOException e) {
                // No such table, as without IPv6; the other may still list the socket.
            }
        }
        return OptionalLong.empty();
    }

    /**
     * @param table the lines of {@code /proc/net/tcp} or {@code tcp6}, header first
     * @param byteOrder the order of the kernel that wrote it, which prints each 32-bit word of an address as is
     */
    static OptionalLong inodeOfLocalEndpoint(List<String> table, InetSocketAddress endpoint, ByteOrder byteOrder) {
        for (String line : table.subList(Math.min(1, table.size()), table.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 10) {
                continue;
            }
            long inode = Long.parseLong(fields[9]);
            // Sockets in TIME_WAIT keep their endpoint but belong to no process any more.
            if (inode != 0 && parseEndpoint(fields[1], byteOrder).equals(endpoint)) {
                return OptionalLong.of(inode);
            }
        }
        return OptionalLong.empty();
    }

    /** Reads {@code 0100007F:1F90} or {@code 0000000000000000FFFF00000100007F:1F90}; mapped IPv4 comes out as IPv4. */
    static InetSocketAddress parseEndpoint(String hex, ByteOrder byteOrder) {
        int colon = hex.indexOf(':');
        String address = hex.substring(0, colon);
        ByteBuffer bytes = ByteBuffer.allocate(address.length() / 2).order(byteOrder);
        for (int word = 0; word < address.length(); word += 8) {
            bytes.putInt((int) Long.parseLong(address.substring(word, word + 8), 16));
        }
        int port = Integer.parseInt(hex.substring(colon + 1), 16);
        return new InetSocketAddress(addressOf(bytes.array()), port);
    }

    private static InetSocketAddress withPlainAddress(InetSocketAddress remote) {
        return new InetSocketAddress(addressOf(remote.getAddress().getAddress()), remote.getPort());
    }

    /** {@link InetAddress#getByAddress(byte[])} turns an IPv4-mapped IPv6 address into IPv4. */
    private static InetAddress addressOf(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + bytes.length + " bytes", e);
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
