package io.roster.node;

import io.roster.cluster.ClusterStatus;
import io.roster.cluster.MembershipService;
import io.roster.lease.LeaseService;
import io.roster.raft.PeerProtocol;
import io.roster.registry.RegistryService;

import static java.util.concurrent.CompletableFuture.completedFuture;

/**
 * Who answers what on the peer port: every peer operation outside Raft's own ({@code propose},
 * {@code batch}) bound to its handler, here and nowhere else (ADR 0002 lists them with their layouts).
 */
final class PeerHandlers {

    private PeerHandlers() {
    }

    static PeerProtocol bind(PeerProtocol protocol, LeaseService leases, RegistryService registry, MembershipService membership,
                             ClusterStatus status) {
        protocol.serve(LeaseService.KEEP_ALIVE, leases::keepAliveOnLeader);
        protocol.serve(LeaseService.TIME_TO_LIVE, leases::describeOnLeader);
        protocol.serve(LeaseService.REMAINING, leases::remainingOnLeader);
        protocol.serve(RegistryService.LEGACY_HEARTBEAT, registry::legacyHeartbeatOnLeader);
        protocol.serve(MembershipService.CHECK_REMOVE, membership::checkRemovalOnLeader);
        protocol.serve(MembershipService.CHECK_PROMOTE, id -> completedFuture(membership.promotionRefusal(id)));
        protocol.serve(MembershipService.TRANSFER, membership::transferOnLeader);
        protocol.serve(MembershipService.IS_VOTER, id -> completedFuture(membership.isVoterOnLeader(id)));
        protocol.serve(MembershipService.IN_CONFIGURATION, address -> completedFuture(membership.inConfigurationOnLeader(address)));
        protocol.serve(MembershipService.CLUSTER_INFO, ignored -> completedFuture(membership.info()));
        protocol.serve(ClusterStatus.MEMBER_STATUS, ignored -> completedFuture(status.self()));
        return protocol;
    }
}
