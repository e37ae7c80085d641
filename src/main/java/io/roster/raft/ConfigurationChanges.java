package io.roster.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import io.roster.config.PeerUrl;
import io.roster.store.codec.StoreCodec;
import io.roster.store.command.Noop;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import static io.roster.raft.NodeHandle.peerId;
import static io.roster.raft.NodeHandle.peersWhileLeading;

/** Changes to the voters and learners, made on the leader; JRaft allows one at a time. */
final class ConfigurationChanges {

    private final NodeHandle node;
    private final LeaderRouter router;
    private final Executor completions;
    private final ScheduledExecutorService timer;
    private final PeerUrl self;
    private final Duration electionTimeout;
    /** Peers ({@code host:port}) with a change under way, counted: a peer may be in a change and a retry of it. */
    private final Map<String, Integer> changing = new ConcurrentHashMap<>();

    ConfigurationChanges(NodeHandle node, LeaderRouter router, Executor completions, ScheduledExecutorService timer, PeerUrl self,
                         Duration electionTimeout) {
        this.node = node;
        this.router = router;
        this.completions = completions;
        this.timer = timer;
        this.self = self;
        this.electionTimeout = electionTimeout;
    }

    RaftNode.Membership configuration() {
        Node current = node.current();
        if (current == null || !current.isLeader()) {
            return new RaftNode.Membership(List.of(), List.of());
        }
        return new RaftNode.Membership(peersWhileLeading(current::listPeers), peersWhileLeading(current::listLearners));
    }

    CompletableFuture<Void> addLearner(PeerUrl peer) {
        return configurationChange(peerId(peer), done -> node.require().addLearners(List.of(peerId(peer)), done),
                "add learner " + peer);
    }

    /**
     * Makes a learner a voter. JRaft refuses a joint configuration in which one peer is a learner on one
     * side and a voter on the other, so this is two changes: stop it being a learner, then add it as a
     * voter (JRaft first waits for it to catch up, which it just has). A failure between the two leaves it
     * outside the configuration, which never weakens quorum; the reconciler adds it back as a learner.
     */
    CompletableFuture<Void> promote(PeerUrl peer) {
        PeerId id = peerId(peer);
        return configurationChange(id, done -> node.require().removeLearners(List.of(id), done), "promote " + peer + " (leave learners)")
                .thenCompose(ignored -> appendingUntilDone(
                        configurationChange(id, done -> node.require().addPeer(id, done), "promote " + peer)));
    }

    /**
     * JRaft learns that a peer being added has caught up only from a successful append to it. When the
     * new peer is already up to date, its first probe can be answered before JRaft starts waiting (a
     * narrow race that a loaded machine hits), and on an idle log no append ever follows: the change
     * would wait forever. Appending no-op entries until the change completes supplies those appends.
     */
    private CompletableFuture<Void> appendingUntilDone(CompletableFuture<Void> change) {
        byte[] noop = StoreCodec.encodeCommand(Noop.INSTANCE);
        long period = Math.max(50, electionTimeout.toMillis() / 4);
        ScheduledFuture<?> appends = timer.scheduleWithFixedDelay(() -> {
            if (node.isLeader()) {
                router.applyLocally(noop); // a failure here is harmless: the change itself reports its outcome
            }
        }, 0, period, TimeUnit.MILLISECONDS);
        change.whenComplete((ignored, error) -> appends.cancel(false));
        return change;
    }

    CompletableFuture<Void> removeFromConfiguration(String peerAddress) {
        PeerId peer = PeerId.parsePeer(peerAddress);
        return configurationChange(peer, done -> {
            Node current = node.require();
            if (current.listLearners().contains(peer)) {
                current.removeLearners(List.of(peer), done);
            } else {
                current.removePeer(peer, done);
            }
        }, "remove " + peerAddress);
    }

    CompletableFuture<Void> transferLeadershipTo(PeerUrl peer) {
        Status status = node.require().transferLeadershipTo(peerId(peer));
        return status.isOk() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new IllegalStateException("cannot transfer leadership to " + peer + ": "
                + status.getErrorMsg()));
    }

    void resetToSelf() {
        Status status = node.require().resetPeers(new Configuration(List.of(peerId(self))));
        if (!status.isOk()) {
            throw new IllegalStateException("cannot reset the configuration to this member: " + status.getErrorMsg());
        }
    }

    /**
     * Whether a change of this peer ({@code host:port}) has been started and has not completed. JRaft lists a
     * change's new configuration as soon as its first entry is in the leader's own log, before the other members
     * have it: until the change completes, what {@link #configuration()} says of the peer may not hold if the
     * leader stops.
     */
    boolean changing(String peerAddress) {
        return changing.containsKey(peerAddress);
    }

    private CompletableFuture<Void> configurationChange(PeerId peer, Consumer<Closure> change, String what) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        String address = peer.toString();
        AtomicBoolean ended = new AtomicBoolean();
        Runnable end = () -> {
            if (ended.compareAndSet(false, true)) {
                changing.computeIfPresent(address, (ignored, count) -> count == 1 ? null : count - 1);
            }
        };
        changing.merge(address, 1, Integer::sum);
        try {
            change.accept(status -> {
                end.run();
                if (status.isOk()) {
                    completions.execute(() -> done.complete(null));
                } else {
                    completions.execute(() -> done.completeExceptionally(
                            new IllegalStateException(what + " failed: " + status.getErrorMsg())));
                }
            });
        } catch (RuntimeException e) {
            end.run();
            done.completeExceptionally(new IllegalStateException(what + " failed: " + e.getMessage(), e));
        }
        return done;
    }
}
