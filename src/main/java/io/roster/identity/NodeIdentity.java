package io.roster.identity;

import io.roster.config.InitialCluster;
import io.roster.config.InvalidConfigurationException;
import io.roster.config.PeerUrl;
import io.roster.config.RosterProperties;

import java.nio.file.Path;

/**
 * Who this node is, resolved and checked once at start: a bad setting stops the node here with one
 * line that says what to fix.
 */
public record NodeIdentity(
        String name,
        String clusterToken,
        long memberId,
        long clusterId,
        PeerUrl peerUrl,
        String clientUrl,
        InitialCluster initialCluster,
        boolean joiningExisting,
        Path dataDir) {

    /** The same member with the ids the cluster knows it by (recorded in its data dir, or learned when joining). */
    public NodeIdentity withIds(long memberId, long clusterId) {
        return new NodeIdentity(name, clusterToken, memberId, clusterId, peerUrl, clientUrl, initialCluster, joiningExisting, dataDir);
    }

    /** The other members of the initial cluster: whom to ask about the cluster before joining it. */
    public java.util.List<PeerUrl> otherPeers() {
        return initialCluster.peerUrls().stream().filter(url -> !url.equals(peerUrl)).toList();
    }

    public static NodeIdentity resolve(RosterProperties properties, int clientPort) {
        String name = properties.name();
        if (name == null || name.isBlank()) {
            throw new InvalidConfigurationException("roster.name must not be empty");
        }
        InitialCluster cluster = InitialCluster.parse(properties.effectiveInitialCluster());
        PeerUrl self = cluster.peerUrlOf(name);
        String state = properties.initialClusterState() == null ? "" : properties.initialClusterState().trim();
        if (!state.equals("new") && !state.equals("existing")) {
            throw new InvalidConfigurationException("roster.initial-cluster-state must be 'new' or 'existing', not '" + state + "'");
        }
        String token = properties.initialClusterToken();
        if (token == null || token.isBlank()) {
            throw new InvalidConfigurationException("roster.initial-cluster-token must not be empty");
        }
        String clientUrl = properties.advertiseClientUrl() == null || properties.advertiseClientUrl().isBlank()
                ? "http://localhost:" + clientPort
                : advertisedClientUrl(properties.advertiseClientUrl());
        return new NodeIdentity(name, token, MemberIds.memberId(token, self), MemberIds.clusterId(token, cluster.peerUrls()),
                self, clientUrl, cluster, state.equals("existing"), properties.dataDir().toAbsolutePath().normalize());
    }

    /** The client URL in canonical form; a member serving TLS to clients is advertised as https. */
    private static String advertisedClientUrl(String text) {
        return PeerUrl.parse(text, "roster.advertise-client-url").url();
    }
}
