package io.roster.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.closure.ReadIndexClosure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static io.roster.raft.NodeHandle.peersWhileLeading;

/**
 * Tells the followers at once that the leader's commit index moved, when no append would tell them soon.
 * JRaft sends the commit index only with the next append or heartbeat, so without this a lone write
 * reaches a follower's store, and its watches, up to a heartbeat interval after the leader answered it
 * (40–57 ms at the median, 100 ms at worst, with 100 ms heartbeats; docs/benchmarks.md). etcd's leader
 * sends an append to every follower as soon as its commit index moves. Here a ReadIndex round does it:
 * its heartbeats carry the leader's commit index, and the followers apply up to it on receipt.
 *
 * <p>Under load rounds are rare: while later entries are still being replicated, their appends and the
 * commit that follows them come anyway, and the last commit of a burst finds the log drained and sends.
 * At most one round is in flight; a commit during it asks for one more after it.
 */
final class CommitBroadcast {

    private static final byte[] NO_CONTEXT = new byte[0];
    private static final int IDLE = 0;
    private static final int SENDING = 1;
    private static final int SENDING_AND_AGAIN = 2;
    /** A round is done, and the leader waits for a follower's late answer to the append; a new commit sends at once. */
    private static final int WAITING = 3;

    /**
     * How long to wait for the other followers' answers to the append when one has not answered yet: the
     * commit came with the first answers, and the others are most often a few hundred microseconds behind.
     */
    private static final long LATE_ANSWERS_MICROS = 1_000;

    private final NodeHandle node;
    private final String self;
    private final String groupId;
    private final ScheduledExecutorService timer;
    /** Past it a heartbeat tells a late follower the commit anyway, so waiting for its answer stops there. */
    private final long heartbeatMicros;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private final AtomicLong waits = new AtomicLong();

    CommitBroadcast(NodeHandle node, String self, String groupId, ScheduledExecutorService timer, Duration heartbeatInterval) {
        this.node = node;
        this.self = self;
        this.groupId = groupId;
        this.timer = timer;
        this.heartbeatMicros = heartbeatInterval.toNanos() / 1_000;
    }

    /** Called after the state machine applied a batch of committed entries. */
    void afterApplied() {
        Node current = node.current();
        if (current == null || !current.isLeader() || current.getLastLogIndex() > current.getLastCommittedIndex()
                || peersWhileLeading(current::listPeers).size() < 2) {
            return;
        }
        int before = state.getAndUpdate(now -> now == IDLE || now == WAITING ? SENDING : SENDING_AND_AGAIN);
        if (before == IDLE || before == WAITING) {
            sendOnceFollowersHaveIt(current);
        }
    }

    /**
     * A round sent before a follower's answer to the append came in would tell that follower too little
     * and need a second round; waiting for the answer a moment costs a timer's wake-up instead.
     */
    private void sendOnceFollowersHaveIt(Node current) {
        if (followersWithout(current, current.getLastCommittedIndex()).isEmpty()) {
            send(current);
            return;
        }
        try {
            timer.schedule(() -> send(current), LATE_ANSWERS_MICROS, TimeUnit.MICROSECONDS);
        } catch (RejectedExecutionException stopped) {
            state.set(IDLE); // the node is shutting down
        }
    }

    private void send(Node current) {
        long commit = current.getLastCommittedIndex();
        List<String> behind = followersWithout(current, commit);
        try {
            current.readIndex(NO_CONTEXT, new ReadIndexClosure() {
                @Override
                public void run(Status status, long index, byte[] requestContext) {
                    // A failed round (leadership lost, a minority reachable) leaves the followers to the heartbeats.
                    // Not on this thread: JRaft runs the closure holding a monitor that its ReadIndex handling
                    // takes under the node's read lock, and settle asks the node (its read lock) again; with a
                    // writer queued (a shutdown, a step-down) the three waited for each other for good.
                    try {
                        timer.execute(() -> settle(current, commit, behind, LATE_ANSWERS_MICROS));
                    } catch (RejectedExecutionException stopped) {
                        state.set(IDLE); // the node is shutting down
                    }
                }
            });
        } catch (RuntimeException stopped) {
            state.set(IDLE); // the node is shutting down
        }
    }

    /**
     * A heartbeat tells a follower the commit index only up to the entry the leader knows it has: one
     * whose answer to the append came after the round went out, even after the wait above, learnt too
     * little, so it gets another round once it has answered. A round completes with a majority's answers,
     * so on a busy machine a follower may not have answered the append even then: it is waited for, at
     * doubling intervals, until a heartbeat would tell it anyway (one that is down costs a dozen timer
     * wake-ups per lone write, at most). Called after a round, or after such a wait for late answers to the
     * append of {@code commit}, with the state SENDING or SENDING_AND_AGAIN.
     */
    private void settle(Node current, long commit, List<String> behind, long waitMicros) {
        Map<Boolean, List<String>> answeredAppend = behind.stream().collect(Collectors.partitioningBy(peer -> nextIndex(peer) > commit));
        boolean toldTooLittle = !answeredAppend.get(true).isEmpty();
        List<String> unanswered = answeredAppend.get(false);
        if (!toldTooLittle && !unanswered.isEmpty() && waitMicros < heartbeatMicros && current.isLeader()
                && state.compareAndSet(SENDING, WAITING)) {
            long wait = waits.incrementAndGet(); // a wait that a newer round superseded finds another number
            try {
                timer.schedule(() -> {
                    if (waits.get() == wait && state.compareAndSet(WAITING, SENDING)) {
                        settle(current, commit, unanswered, 2 * waitMicros);
                    }
                }, waitMicros, TimeUnit.MICROSECONDS);
            } catch (RejectedExecutionException stopped) {
                state.set(IDLE); // the node is shutting down
            }
            return;
        }
        if (!toldTooLittle && state.compareAndSet(SENDING, IDLE)) {
            return;
        }
        state.set(SENDING); // this round also covers a commit that asked for one more
        if (current.isLeader()) {
            send(current);
        } else {
            state.set(IDLE);
        }
    }

    /** The voters (a ReadIndex round reaches only those) that the leader does not yet know to hold {@code index}. */
    private List<String> followersWithout(Node current, long index) {
        return peersWhileLeading(current::listPeers).stream()
                .filter(peer -> !peer.equals(self) && nextIndex(peer) <= index)
                .toList();
    }

    /** The next entry the leader will send this follower; 0 while it has no replicator for it. */
    private long nextIndex(String peer) {
        return node.replicatorGauge(groupId, peer, "next-index");
    }
}
