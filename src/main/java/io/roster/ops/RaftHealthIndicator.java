package io.roster.ops;

import io.roster.cluster.MemberDirectory;
import io.roster.config.MemberIds;
import io.roster.raft.RaftNode;
import io.roster.raft.RaftStatus;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code raft} health contributor, part of the readiness group. UP when this node has a leader and
 * has applied everything it knew to be committed when it last caught up; a node replaying its log after
 * a restart therefore stays out of rotation until it has caught up. Liveness never includes it: a lost
 * quorum must not make Kubernetes restart every member.
 */
@Component("raft")
class RaftHealthIndicator implements HealthIndicator {

    private final RaftNode raft;
    private final MemberDirectory members;
    private final CatchUpTracker catchUp = new CatchUpTracker();

    RaftHealthIndicator(RaftNode raft, MemberDirectory members) {
        this.raft = raft;
        this.members = members;
    }

    @Override
    public Health health() {
        RaftStatus status = raft.status();
        boolean caughtUp = catchUp.update(status);
        Health.Builder health = status.failure() != null
                ? Health.down().withDetail("failure", status.failure())
                : status.hasLeader() && caughtUp ? Health.up() : Health.outOfService();
        health.withDetail("role", status.leader() ? "leader" : status.state().toLowerCase().replace("state_", ""))
                .withDetail("term", status.term())
                .withDetail("commitIndex", status.committedIndex())
                .withDetail("appliedIndex", status.appliedIndex())
                .withDetail("caughtUp", caughtUp);
        if (status.hasLeader()) {
            health.withDetail("leader", status.leaderPeer());
            members.atPeerAddress(status.leaderPeer()).ifPresent(leader -> health
                    .withDetail("leaderId", MemberIds.hex(leader.id()))
                    .withDetail("leaderName", leader.name()));
        } else {
            health.withDetail("reason", "no leader is known");
        }
        return health.build();
    }

    /**
     * Latches "caught up" the first time the applied index reaches the commit index under a leader, and
     * drops it again only if the node loses its leader: under steady write load the applied index trails
     * the commit index by a few entries at any instant, which must not flap readiness.
     */
    static final class CatchUpTracker {
        private boolean caughtUp;

        synchronized boolean update(RaftStatus status) {
            if (!status.hasLeader()) {
                caughtUp = false;
            } else if (status.appliedIndex() >= status.committedIndex()) {
                caughtUp = true;
            }
            return caughtUp;
        }
    }
}
