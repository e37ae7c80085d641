package io.roster.raft;

import com.alipay.sofa.jraft.entity.RaftOutter;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;
import com.alipay.sofa.jraft.storage.snapshot.local.LocalSnapshotStorage;
import io.roster.config.PeerUrl;
import io.roster.store.CorruptEntryException;
import io.roster.store.StoreState;
import io.roster.store.codec.StoreCodec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns a saved snapshot into the data dir of one member of a new cluster, as etcd's snapshot restore
 * does: the member boots from the snapshot with the new cluster's voters and an empty log. Run it for
 * every member of the new cluster with the same snapshot and the same peer list, then start them all
 * with {@code initial-cluster-state=new}. The old cluster's member table is dropped: the new members
 * publish themselves when they start.
 */
public final class SnapshotRestore {

    /** The restored state counts as the first entry of the new cluster's first term. */
    private static final long RESTORED_INDEX = 1;
    private static final long RESTORED_TERM = 1;

    private SnapshotRestore() {
    }

    /**
     * @return the restored store revision
     * @throws IllegalStateException when the data dir already holds Raft state
     */
    public static long restore(byte[] snapshot, Path dataDir, List<PeerUrl> peers) throws IOException {
        StoreState saved = StoreCodec.decodeSnapshot(snapshot); // refuse a damaged file before writing anything
        // Members start afresh (the restored cluster has new ones); users and roles come back as they were.
        StoreState restored = new StoreState(saved.revision(), saved.keys(), saved.leases(), List.of(), List.of(), saved.authRevision(),
                saved.authRecords());
        Path raftDir = dataDir.resolve("raft");
        if (Files.exists(raftDir)) {
            throw new IllegalStateException(raftDir + " already exists: restore into an empty data dir");
        }
        Path snapshotDir = Files.createDirectories(raftDir.resolve("snapshot"));
        Files.createDirectories(raftDir.resolve("log"));
        Files.createDirectories(raftDir.resolve("meta"));
        LocalSnapshotStorage storage = new LocalSnapshotStorage(snapshotDir.toString(), "", new RaftOptions());
        if (!storage.init(null)) {
            throw new IOException("cannot open snapshot storage in " + snapshotDir);
        }
        try {
            SnapshotWriter writer = storage.create();
            if (writer == null) {
                throw new IOException("cannot create a snapshot in " + snapshotDir);
            }
            Files.write(Path.of(writer.getPath(), RosterStateMachine.SNAPSHOT_FILE), StoreCodec.encodeSnapshot(restored));
            RaftOutter.SnapshotMeta.Builder meta = RaftOutter.SnapshotMeta.newBuilder()
                    .setLastIncludedIndex(RESTORED_INDEX).setLastIncludedTerm(RESTORED_TERM);
            peers.forEach(peer -> meta.addPeers(RaftNode.peerAddress(peer)));
            if (!writer.addFile(RosterStateMachine.SNAPSHOT_FILE) || !writer.saveMeta(meta.build())) {
                throw new IOException("cannot record the snapshot's metadata in " + writer.getPath());
            }
            writer.close();
        } catch (CorruptEntryException e) {
            throw new IOException("the snapshot cannot be restored: " + e.getMessage(), e);
        } finally {
            storage.shutdown();
        }
        return restored.revision();
    }
}
