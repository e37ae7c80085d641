package io.roster.testing.net;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProcessSocketOwnersTest {

    private static final long OWN_PID = ProcessHandle.current().pid();

    private ServerSocket server;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setSoTimeout(10_000);
    }

    @AfterEach
    void stopListening() throws IOException {
        server.close();
    }

    @Test
    void writesIpv4EndpointsInTheKernelsByteOrder() {
        InetSocketAddress endpoint = new InetSocketAddress("127.0.0.1", 8080);

        assertThat(ProcessSocketOwners.hexEndpoint(endpoint, ByteOrder.LITTLE_ENDIAN, false)).isEqualTo("0100007F:1F90");
        assertThat(ProcessSocketOwners.hexEndpoint(endpoint, ByteOrder.BIG_ENDIAN, false)).isEqualTo("7F000001:1F90");
    }

    @Test
    void writesIpv4AsMappedIpv6ForTcp6() {
        assertThat(ProcessSocketOwners.hexEndpoint(new InetSocketAddress("127.0.0.1", 40001), ByteOrder.LITTLE_ENDIAN, true))
                .isEqualTo("0000000000000000FFFF00000100007F:9C41");
    }

    @Test
    void writesIpv6LoopbackForTcp6() {
        assertThat(ProcessSocketOwners.hexEndpoint(new InetSocketAddress("::1", 40001), ByteOrder.LITTLE_ENDIAN, true))
                .isEqualTo("00000000000000000000000001000000:9C41");
    }

    @Test
    void findsTheInodeOfALocalEndpointAndSkipsSocketsThatNoProcessHolds() {
        List<String> table = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:9C41 0100007F:1F90 06 00000000:00000000 03:00000F5A 00000000     0        0 0 3 0000000000000000",
                "   1: 0100007F:1F90 0100007F:9C41 01 00000000:00000000 00:00000000 00000000  1000        0 52311 1 0000000000000000",
                "   2: 0100007F:9C41 0100007F:1F91 01 00000000:00000000 00:00000000 00000000  1000        0 52377 1 0000000000000000");

        assertThat(ProcessSocketOwners.inodeOfLocalEndpoint(table.stream(), "0100007F:9C41"))
                .isEqualTo(OptionalLong.of(52377));
        assertThat(ProcessSocketOwners.inodeOfLocalEndpoint(table.stream(), "0100007F:9C42")).isEmpty();
    }

    @Test
    void namesTheChildProcessThatDialed() throws Exception {
        assumeLinuxProc();
        try (ChildDialer child = ChildDialer.dial(address(), "hello");
             Socket accepted = server.accept()) {
            var owners = new ProcessSocketOwners(() -> Map.of(child.pid(), "n1", OWN_PID, "client"));

            assertThat(owners.sourceOf((InetSocketAddress) accepted.getRemoteSocketAddress())).isEqualTo("n1");
        }
    }

    @Test
    void namesThisJvmForItsOwnConnections() throws Exception {
        assumeLinuxProc();
        try (Socket dialer = new Socket(server.getInetAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            var owners = new ProcessSocketOwners(() -> Map.of(OWN_PID, "client"));

            assertThat(owners.sourceOf((InetSocketAddress) accepted.getRemoteSocketAddress())).isEqualTo("client");
        }
    }

    @Test
    void answersUnknownWhenNoCandidateHoldsTheSocket() throws Exception {
        assumeLinuxProc();
        try (Socket dialer = new Socket(server.getInetAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            var owners = new ProcessSocketOwners(Map::of);

            assertThat(owners.sourceOf((InetSocketAddress) accepted.getRemoteSocketAddress()))
                    .isEqualTo(SourceResolver.UNKNOWN);
        }
    }

    private InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    private static void assumeLinuxProc() {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux's /proc");
    }
}
