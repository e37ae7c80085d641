package io.roster.raft;

import io.roster.config.PeerUrl;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one Raft node needs to start, independent of Spring so that tests can run several in one JVM.
 *
 * @param self this node's peer address, as the other nodes know it
 * @param listenPort the port it listens on for peers: the port of {@code self} unless peers reach it
 *                   through a port mapping or a proxy
 * @param initialPeers the voters of a new cluster; empty when joining an existing one
 * @param transport plain TCP or mutual TLS between members
 */
public record RaftSettings(
        String groupId,
        PeerUrl self,
        int listenPort,
        List<PeerUrl> initialPeers,
        Path dataDir,
        Duration electionTimeout,
        Duration snapshotInterval,
        long snapshotEntries,
        Duration requestTimeout,
        PeerTransport transport) {

    public RaftSettings {
        initialPeers = List.copyOf(initialPeers);
    }
}
