package io.roster.store.command;

import java.util.List;

/**
 * Records, for each lease, the remaining time the leader's clock showed, so that a new leader does not
 * restart a long lease at its full TTL. A remaining time of {@code Lease.NO_CHECKPOINT} clears the
 * record: the lease was renewed and a new leader should start the full TTL again.
 */
public record CheckpointLeases(List<Checkpoint> checkpoints) implements Command {

    public CheckpointLeases {
        checkpoints = List.copyOf(checkpoints);
    }

    public record Checkpoint(long leaseId, long remainingMillis) {
    }
}
