package io.roster.ops;

import io.roster.raft.RaftNode;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Part of liveness: DOWN once JRaft has stopped this member after a failure (its log could not be written,
 * say, because the disk filled). JRaft never leaves that state, so only a restart, once the cause is fixed,
 * brings the member back: an orchestrator that restarts on failed liveness does exactly that. A lost quorum
 * or a missing leader never makes liveness DOWN: restarting would not help.
 */
@Component("raftNodeHealthIndicator") // the health contributor "raftNode"; "raftNode" is the node itself
class RaftNodeLivenessIndicator implements HealthIndicator {

    private final RaftNode raft;

    RaftNodeLivenessIndicator(RaftNode raft) {
        this.raft = raft;
    }

    @Override
    public Health health() {
        String failure = raft.failure();
        return failure == null ? Health.up().build()
                : Health.down().withDetail("failure", "stopped after a failure of its " + failure + "; restart it once the cause"
                + " is fixed").build();
    }
}
