package io.roster.testing;

import io.roster.testing.net.LinkProxy;
import io.roster.testing.net.Network;
import io.roster.testing.net.ProcessSocketOwners;
import io.roster.testing.net.SourceResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The proxies through which every link of a {@link ProcessCluster} runs when it is built with a
 * {@link Network}: one in front of each member's peer port, which the other members know it by (its own
 * port is given as {@code ROSTER_LISTEN_PEER_PORT}), and one in front of each member's client port, which
 * the test's clients (source {@value #CLIENTS}) use. A member keeps its proxies across restarts and
 * rejoins under the same name.
 */
final class PeerProxies implements AutoCloseable {

    /** The name the network knows the test's clients by. */
    static final String CLIENTS = "clients";

    private final Network network;
    private final SourceResolver members;
    private final Map<String, LinkProxy> peerProxies = new ConcurrentHashMap<>();
    private final Map<String, Integer> listenPorts = new ConcurrentHashMap<>();
    /** By the member's client port: a member that rejoins under its name gets a new one. */
    private final Map<Integer, LinkProxy> clientProxies = new ConcurrentHashMap<>();

    /** @param runningMembers the pid and name of every running member, to tell which member dialed */
    PeerProxies(Network network, Supplier<Map<Long, String>> runningMembers) {
        this.network = network;
        this.members = new ProcessSocketOwners(runningMembers);
    }

    Network network() {
        return network;
    }

    /** The port the other members dial to reach {@code name}. */
    int advertisedPeerPort(String name) {
        return peerProxies.computeIfAbsent(name, key -> start(key, listenPort(key), members)).port();
    }

    /** The port {@code name} itself listens on for peers. */
    int listenPort(String name) {
        return listenPorts.computeIfAbsent(name, key -> FreePorts.next());
    }

    /** The port the test's clients dial to reach {@code name} at its {@code clientPort}. */
    int clientPort(String name, int clientPort) {
        return clientProxies.computeIfAbsent(clientPort, port -> start(name, port, SourceResolver.fixed(CLIENTS))).port();
    }

    private LinkProxy start(String name, int targetPort, SourceResolver sources) {
        try {
            return LinkProxy.start(name, new InetSocketAddress("127.0.0.1", targetPort), sources, network);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the proxy in front of " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        network.healAll();
        peerProxies.values().forEach(LinkProxy::close);
        clientProxies.values().forEach(LinkProxy::close);
    }
}
