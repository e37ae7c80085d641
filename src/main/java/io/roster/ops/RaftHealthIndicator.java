package io.roster.ops;

import io.roster.cluster.ClusterStatus;
import io.roster.cluster.MemberDirectory;
import io.roster.cluster.RemovedMemberGuard;
import io.roster.identity.MemberIds;
import io.roster.config.RosterProperties;
import io.roster.raft.PeerState;
import io.roster.raft.RaftNode;
import io.roster.raft.RaftStatus;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code raft} health contributor, part of the readiness group and of {@code /actuator/health}.
 * <ul>
 * <li>UP when this member has a leader and has caught up (applied everything it knew committed).</li>
 * <li>OUT_OF_SERVICE while it has no leader for up to one election timeout (an election is normal), or
 * is still catching up.</li>
 * <li>DOWN when it has had no leader for longer than an election timeout, or stopped applying entries.</li>
 * </ul>
 * Liveness never includes it: a lost quorum must not make Kubernetes restart every member. On the leader
 * the details list every other member's state; followers do not know them and say so.
 */
@Component("raft")
class RaftHealthIndicator implements HealthIndicator {

    private final RaftNode raft;
    private final MemberDirectory members;
    private final RemovedMemberGuard removal;
    private final long electionTimeoutNanos;
    private final long laggingThreshold;
    private final CatchUpTracker catchUp = new CatchUpTracker();

    RaftHealthIndicator(RaftNode raft, MemberDirectory members, RemovedMemberGuard removal, RosterProperties properties) {
        this.raft = raft;
        this.removal = removal;
        this.members = members;
        this.electionTimeoutNanos = properties.raft().electionTimeout().toNanos();
        this.laggingThreshold = properties.raft().laggingThresholdEntries();
    }

    @Override
    public Health health() {
        RaftStatus status = raft.status();
        boolean caughtUp = catchUp.update(status);
        long leaderlessNanos = status.leaderlessFor().toNanos();
        Health.Builder health;
        if (removal.removed()) {
            health = Health.down().withDetail("failure", removal.explanation());
        } else if (status.failure() != null) {
            health = Health.down().withDetail("failure", status.failure());
        } else if (!status.hasLeader()) {
            health = leaderlessNanos > electionTimeoutNanos ? Health.down() : Health.outOfService();
            health.withDetail("reason", "no leader for " + leaderlessNanos / 1_000_000 + " ms");
        } else if (!caughtUp) {
            health = Health.outOfService().withDetail("reason", "catching up: applied " + status.appliedIndex()
                    + " of " + status.committedIndex());
        } else {
            health = Health.up();
        }
        health.withDetail("role", ClusterStatus.role(status, members.selfIsLearner()))
                .withDetail("term", status.term())
                .withDetail("commitIndex", status.committedIndex())
                .withDetail("appliedIndex", status.appliedIndex())
                .withDetail("caughtUp", caughtUp);
        if (status.hasLeader()) {
            members.atPeerAddress(status.leaderPeer()).ifPresentOrElse(
                    leader -> health.withDetail("leader", Map.of("id", MemberIds.hex(leader.id()), "name", leader.name(),
                            "peer", status.leaderPeer())),
                    () -> health.withDetail("leader", Map.of("peer", status.leaderPeer())));
        }
        health.withDetail("members", status.leader() ? memberStates()
                : "known on the leader" + (status.hasLeader() ? " (" + members.nameOfPeer(status.leaderPeer()) + ")" : ""));
        return health.build();
    }

    private List<Map<String, Object>> memberStates() {
        List<Map<String, Object>> states = new ArrayList<>();
        for (PeerState peer : raft.peerStates(laggingThreshold)) {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("name", members.nameOfPeer(peer.peer()));
            members.atPeerAddress(peer.peer()).ifPresent(known -> state.put("id", MemberIds.hex(known.id())));
            state.put("peer", peer.peer());
            state.put("state", peer.learner() && peer.state() == PeerState.State.REPLICATING ? "learner"
                    : peer.state().name().toLowerCase(Locale.ROOT));
            state.put("learner", peer.learner());
            state.put("lagEntries", peer.lagEntries());
            if (peer.sinceLastContact() != null) {
                state.put("unreachableForMillis", peer.sinceLastContact().toMillis());
            }
            states.add(state);
        }
        return states;
    }

    /**
     * Latches "caught up" the first time the applied index reaches the commit index under a leader, and
     * drops it again only if the member loses its leader: under steady write load the applied index
     * trails the commit index by a few entries at any instant, which must not flap readiness.
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
