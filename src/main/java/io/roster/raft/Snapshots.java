package io.roster.raft;

import com.alipay.sofa.jraft.error.LogIndexOutOfBoundsException;
import com.alipay.sofa.jraft.error.LogNotFoundException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * When this member snapshots its state: on demand, and every {@code snapshotEntries} applied entries
 * besides JRaft's own interval; and whether an index has left the log for a snapshot.
 */
final class Snapshots {

    private final NodeHandle node;
    private final RosterStateMachine stateMachine;
    private final Executor snapshots;
    private final long snapshotEntries;
    private final AtomicBoolean snapshotRunning = new AtomicBoolean();

    Snapshots(NodeHandle node, RosterStateMachine stateMachine, Executor snapshots, long snapshotEntries) {
        this.node = node;
        this.stateMachine = stateMachine;
        this.snapshots = snapshots;
        this.snapshotEntries = snapshotEntries;
    }

    void maybeSnapshot(long appliedIndex) {
        if (snapshotEntries > 0
                && appliedIndex - stateMachine.lastSnapshotIndex() >= snapshotEntries
                && snapshotRunning.compareAndSet(false, true)) {
            snapshots.execute(() -> snapshot().whenComplete((ok, error) -> snapshotRunning.set(false)));
        }
    }

    CompletableFuture<Void> snapshot() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        node.require().snapshot(status -> {
            if (status.isOk()) {
                done.complete(null);
            } else {
                done.completeExceptionally(new IllegalStateException("snapshot failed: " + status.getErrorMsg()));
            }
        });
        return done;
    }

    boolean isCompacted(long index) {
        try {
            node.require().readCommittedUserLog(index);
            return false;
        } catch (LogNotFoundException e) {
            return true;
        } catch (LogIndexOutOfBoundsException e) {
            return false; // not applied yet, so certainly not compacted
        }
    }
}
