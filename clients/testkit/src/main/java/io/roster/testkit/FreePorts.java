package io.roster.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Ports free on every interface, below the kernel's ephemeral range; tests never use fixed ports. */
public final class FreePorts {

    /**
     * The kernel may report a port free again as soon as the probing socket closes, so one test could be
     * given the same port twice (CI saw a cluster whose first and third members shared one). A port is
     * handed out once per JVM.
     */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private static final int LOWEST = 10_000;

    /**
     * A port from the ephemeral range can be taken between the test picking it and a member binding it, by
     * the source port of any outgoing connection (a fault run saw a re-added member refuse to start with
     * "Port already in use" because a proxy link had taken its port). Ports below that range are never
     * handed to outgoing connections, so only another listener could take one.
     */
    private static final int BELOW_EPHEMERAL = firstEphemeralPort();

    private FreePorts() {
    }

    public static int next() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, BELOW_EPHEMERAL);
            if (!HANDED_OUT.contains(port) && isFree(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST + " and " + BELOW_EPHEMERAL
                + " after 200 attempts");
    }

    private static boolean isFree(int port) {
        // The wildcard address clashes with a listener on any interface, loopback aliases included.
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port), 1);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static int firstEphemeralPort() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int first = Integer.parseInt(range.split("\\s+")[0]);
            return first > LOWEST + 1_000 ? first : 32_768;
        } catch (IOException | RuntimeException notLinux) {
            return 32_768;
        }
    }
}
