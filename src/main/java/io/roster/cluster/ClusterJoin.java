package io.roster.cluster;

import io.roster.identity.DataDirectory;
import io.roster.config.InvalidConfigurationException;
import io.roster.identity.MemberIds;
import io.roster.identity.NodeIdentity;
import io.roster.config.PeerUrl;
import io.roster.raft.PeerProbe;
import io.roster.store.Member;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, before Raft starts, whether this member may start with this data dir and these settings, by
 * asking the other members over their peer ports. It refuses, in one line that says what to do, to start
 * a removed member, another cluster's data dir, or {@code new} against a running cluster; and it finds
 * the id of a member that joins with {@code existing} and an empty data dir.
 */
public final class ClusterJoin {

    private static final Logger log = LoggerFactory.getLogger(ClusterJoin.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final Duration joinWait;
    private final PeerProbe probe;

    public ClusterJoin(Duration joinWait, PeerProbe probe) {
        this.joinWait = joinWait;
        this.probe = probe;
    }

    public NodeIdentity check(NodeIdentity configured, boolean forceNewCluster) {
        Optional<DataDirectory.Recorded> recorded = DataDirectory.read(configured.dataDir());
        if (forceNewCluster) {
            return forcedIdentity(configured, recorded);
        }
        if (recorded.isPresent()) {
            return restarting(configured, recorded.get());
        }
        return configured.joiningExisting() ? joining(configured) : bootstrapping(configured);
    }

    private NodeIdentity restarting(NodeIdentity configured, DataDirectory.Recorded recorded) {
        if (!recorded.name().equals(configured.name())) {
            throw new InvalidConfigurationException("data dir " + configured.dataDir() + " belongs to member " + recorded.name()
                    + " (" + MemberIds.hex(recorded.memberId()) + "), not to " + configured.name()
                    + "; use that member's settings, or wipe the data dir to start this member fresh");
        }
        NodeIdentity identity = configured.withIds(recorded.memberId(), recorded.clusterId());
        for (Map.Entry<PeerUrl, ClusterInfo> answer : ask(configured).entrySet()) {
            ClusterInfo cluster = answer.getValue();
            if (cluster.clusterId() != recorded.clusterId()) {
                throw new InvalidConfigurationException("data dir " + configured.dataDir() + " belongs to cluster "
                        + MemberIds.hex(recorded.clusterId()) + " but the member at " + answer.getKey() + " is in cluster "
                        + MemberIds.hex(cluster.clusterId()) + "; wipe the data dir and join as a new member"
                        + " (rosterctl member add, then initial-cluster-state=existing)");
            }
            if (cluster.isRemoved(recorded.memberId())) {
                throw removed(configured, recorded.memberId());
            }
        }
        return identity;
    }

    private NodeIdentity bootstrapping(NodeIdentity configured) {
        for (Map.Entry<PeerUrl, ClusterInfo> answer : ask(configured).entrySet()) {
            ClusterInfo cluster = answer.getValue();
            boolean running = cluster.members().stream().anyMatch(Member::started);
            // "new" against a running cluster is right only for an original member starting late: same
            // cluster, and neither this member's bootstrap id started already (a wiped data dir) nor its
            // peer URL taken by another member id (a member re-added at runtime).
            boolean startedAsMe = cluster.members().stream()
                    .anyMatch(member -> member.id() == configured.memberId() && member.started());
            boolean urlTakenByOther = cluster.members().stream().anyMatch(member -> member.id() != configured.memberId()
                    && member.peerUrls().contains(configured.peerUrl().url()));
            if (cluster.isRemoved(configured.memberId()) && !urlTakenByOther) {
                throw removed(configured, configured.memberId());
            }
            if (running && (cluster.clusterId() != configured.clusterId() || startedAsMe || urlTakenByOther)) {
                throw new InvalidConfigurationException("a cluster (" + MemberIds.hex(cluster.clusterId()) + ") is already running at "
                        + answer.getKey() + "; to join it, add this member (rosterctl member add) and start it with"
                        + " initial-cluster-state=existing and an empty data dir");
            }
        }
        return configured;
    }

    private NodeIdentity joining(NodeIdentity configured) {
        long deadline = System.nanoTime() + joinWait.toNanos();
        do {
            for (Map.Entry<PeerUrl, ClusterInfo> answer : ask(configured).entrySet()) {
                ClusterInfo cluster = answer.getValue();
                Optional<Member> me = cluster.members().stream()
                        .filter(member -> member.peerUrls().contains(configured.peerUrl().url())).findFirst();
                if (me.isEmpty()) {
                    throw new InvalidConfigurationException("this member's peer URL " + configured.peerUrl() + " is not a member"
                            + " of the cluster at " + answer.getKey() + "; add it first: rosterctl member add " + configured.name()
                            + " --peer-urls=" + configured.peerUrl());
                }
                log.info("Joining cluster {} as member {} ({})", MemberIds.hex(cluster.clusterId()), configured.name(),
                        MemberIds.hex(me.get().id()));
                return configured.withIds(me.get().id(), cluster.clusterId());
            }
            log.info("No member of the cluster answered yet at {}; retrying", configured.otherPeers());
        } while (System.nanoTime() < deadline);
        throw new InvalidConfigurationException("no member of the cluster answered at " + configured.otherPeers()
                + " within " + joinWait.toSeconds() + " s; initial-cluster-state=existing needs a running cluster to join");
    }

    private NodeIdentity forcedIdentity(NodeIdentity configured, Optional<DataDirectory.Recorded> recorded) {
        if (recorded.isEmpty()) {
            throw new InvalidConfigurationException("roster.force-new-cluster needs this member's existing data dir; "
                    + configured.dataDir() + " is empty");
        }
        int members = configured.initialCluster().members().size();
        int answering = 1 + ask(configured).size();
        int quorum = members / 2 + 1;
        if (answering >= quorum) {
            throw new InvalidConfigurationException("refusing roster.force-new-cluster: " + answering + " of " + members
                    + " members are reachable, a quorum; forcing would split the cluster. Start this member normally");
        }
        log.warn("Forcing a new cluster from this member's data: {} of {} members reachable", answering, members);
        return configured.withIds(recorded.get().memberId(), recorded.get().clusterId());
    }

    private Map<PeerUrl, ClusterInfo> ask(NodeIdentity configured) {
        return probe.ask(configured.otherPeers(), MembershipService.CLUSTER_INFO, null, PROBE_TIMEOUT);
    }

    private static InvalidConfigurationException removed(NodeIdentity configured, long memberId) {
        return new InvalidConfigurationException("member " + configured.name() + " (" + MemberIds.hex(memberId)
                + ") was removed from the cluster; wipe its data dir, add it again (rosterctl member add) and start it with"
                + " initial-cluster-state=existing");
    }
}
