package io.roster.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.entity.LeaderChangeContext;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.error.RaftException;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotReader;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;
import io.roster.store.CorruptEntryException;
import io.roster.store.RosterStore;
import io.roster.store.StoreState;
import io.roster.store.codec.StoreCodec;
import io.roster.store.command.Command;
import io.roster.store.command.CommandResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/** Adapts the pure {@link RosterStore} to JRaft: decodes entries, applies them, saves and loads snapshots. */
final class RosterStateMachine extends StateMachineAdapter {

    private static final Logger log = LoggerFactory.getLogger(RosterStateMachine.class);
    static final String SNAPSHOT_FILE = "store.snap";

    private final RosterStore store;
    private final Executor snapshotWriter;
    private final List<LeadershipListener> leadershipListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong leaderChanges = new AtomicLong();
    private final LongConsumer afterBatch;
    private final SnapshotListener snapshotListener;
    private volatile long appliedIndex;
    private volatile long term;
    private volatile long lastSnapshotIndex;
    private volatile long lastSnapshotBytes;
    private volatile String failure;
    /** When this member last lost (or, at start, had not yet found) a leader; -1 while it has one. */
    private volatile long leaderlessSince = System.nanoTime();

    /**
     * @param afterBatch told the applied index after each batch, to decide whether to take a snapshot
     */
    RosterStateMachine(RosterStore store, Executor snapshotWriter, LongConsumer afterBatch,
                       SnapshotListener snapshotListener) {
        this.store = store;
        this.snapshotWriter = snapshotWriter;
        this.afterBatch = afterBatch;
        this.snapshotListener = snapshotListener;
    }

    /** Told the time and size of each snapshot saved. */
    interface SnapshotListener {
        void saved(long nanos, long bytes);
    }

    void addLeadershipListener(LeadershipListener listener) {
        leadershipListeners.add(listener);
    }

    @Override
    public void onApply(Iterator iter) {
        while (iter.hasNext()) {
            // Absolute copy: a relative read would consume the leader's shared entry buffer (JRaft #755).
            ByteBuffer data = iter.getData().duplicate();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            Command command;
            try {
                command = StoreCodec.decodeCommand(bytes);
            } catch (CorruptEntryException e) {
                failure = "log entry " + iter.getIndex() + " cannot be decoded: " + e.getMessage();
                log.error("Stopping the state machine: {}", failure);
                iter.setErrorAndRollback(1, new Status(RaftError.ESTATEMACHINE, failure));
                return;
            }
            CommandResult result = store.apply(command);
            appliedIndex = iter.getIndex();
            Closure done = iter.done();
            if (done != null) {
                if (done instanceof ProposalClosure proposal) {
                    proposal.setResult(result);
                }
                done.run(Status.OK());
            }
            iter.next();
        }
        afterBatch.accept(appliedIndex);
    }

    @Override
    public void onSnapshotSave(SnapshotWriter writer, Closure done) {
        long start = System.nanoTime();
        StoreState state = store.state();
        long index = appliedIndex;
        snapshotWriter.execute(() -> {
            try {
                byte[] bytes = StoreCodec.encodeSnapshot(state);
                Path file = Path.of(writer.getPath(), SNAPSHOT_FILE);
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(true);
                }
                if (!writer.addFile(SNAPSHOT_FILE)) {
                    done.run(new Status(RaftError.EIO, "could not add %s to the snapshot", SNAPSHOT_FILE));
                    return;
                }
                lastSnapshotIndex = index;
                lastSnapshotBytes = bytes.length;
                snapshotListener.saved(System.nanoTime() - start, bytes.length);
                log.info("Saved snapshot at index {} (revision {}, {} keys, {} bytes)", index, state.revision(),
                        state.keys().size(), bytes.length);
                done.run(Status.OK());
            } catch (IOException | RuntimeException e) {
                log.error("Could not save snapshot at index {}", index, e);
                done.run(new Status(RaftError.EIO, "snapshot save failed: %s", e.getMessage()));
            }
        });
    }

    @Override
    public boolean onSnapshotLoad(SnapshotReader reader) {
        if (reader.getFileMeta(SNAPSHOT_FILE) == null) {
            log.error("Snapshot at {} has no {}", reader.getPath(), SNAPSHOT_FILE);
            return false;
        }
        try {
            StoreState state = StoreCodec.decodeSnapshot(Files.readAllBytes(Path.of(reader.getPath(), SNAPSHOT_FILE)));
            store.restore(state);
            long index = reader.load().getLastIncludedIndex();
            appliedIndex = index;
            lastSnapshotIndex = index;
            log.info("Loaded snapshot at index {} (revision {}, {} keys)", index, state.revision(), state.keys().size());
            return true;
        } catch (IOException | CorruptEntryException e) {
            failure = "snapshot at " + reader.getPath() + " cannot be loaded: " + e.getMessage();
            log.error("{}", failure, e);
            return false;
        }
    }

    @Override
    public void onLeaderStart(long term) {
        this.term = term;
        this.leaderlessSince = -1;
        leaderChanges.incrementAndGet();
        log.info("Became leader in term {}", term);
        leadershipListeners.forEach(listener -> listener.onLeaderStart(term));
    }

    @Override
    public void onLeaderStop(Status status) {
        this.leaderlessSince = System.nanoTime();
        log.info("Stopped leading: {}", status);
        leadershipListeners.forEach(LeadershipListener::onLeaderStop);
    }

    @Override
    public void onStartFollowing(LeaderChangeContext ctx) {
        this.term = ctx.getTerm();
        this.leaderlessSince = -1;
        leaderChanges.incrementAndGet();
        log.info("Following leader {} in term {}", ctx.getLeaderId(), ctx.getTerm());
    }

    @Override
    public void onStopFollowing(LeaderChangeContext ctx) {
        this.leaderlessSince = System.nanoTime();
    }

    @Override
    public void onError(RaftException e) {
        if (failure == null) {
            // e.g. "the log: Fail to append log entries (EIO)" when the disk is full
            failure = e.getType().name().replace("ERROR_TYPE_", "").toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + ": " + e.getStatus().getErrorMsg() + " (" + e.getStatus().getRaftError() + ")";
        }
        log.error("Raft stopped this member after a failure of its {}; it serves nothing until it is restarted, once the"
                + " cause is fixed (a full or failing disk, for example)", failure, e);
    }

    long appliedIndex() {
        return appliedIndex;
    }

    long term() {
        return term;
    }

    long leaderChanges() {
        return leaderChanges.get();
    }

    /** How long this member has been without a leader, in nanoseconds; 0 while it has one. */
    long leaderlessNanos() {
        long since = leaderlessSince;
        return since < 0 ? 0 : System.nanoTime() - since;
    }

    long lastSnapshotIndex() {
        return lastSnapshotIndex;
    }

    long lastSnapshotBytes() {
        return lastSnapshotBytes;
    }

    /** Why this node stopped applying entries, or null while it is healthy. */
    String failure() {
        return failure;
    }
}
