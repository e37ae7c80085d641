package io.roster.cluster;

import io.roster.raft.RaftNode;
import io.roster.store.RosterStore;
import io.roster.store.StoreState;
import io.roster.store.codec.StoreCodec;

import java.util.concurrent.CompletableFuture;

/** Consistent copies of the whole store, for backups ({@code rosterctl snapshot save}) and restores into a new cluster. */
public final class Backup {

    private final RaftNode raft;
    private final RosterStore store;

    public Backup(RaftNode raft, RosterStore store) {
        this.raft = raft;
        this.store = store;
    }

    /** A snapshot in Roster's versioned, checksummed format, and the revision it holds. */
    public record Snapshot(byte[] bytes, long revision) {
    }

    /** Linearizable: the snapshot holds every write acknowledged before the call. */
    public CompletableFuture<Snapshot> save() {
        return raft.readBarrier().thenApply(ignored -> {
            StoreState state = store.state();
            return new Snapshot(StoreCodec.encodeSnapshot(state), state.revision());
        });
    }
}
