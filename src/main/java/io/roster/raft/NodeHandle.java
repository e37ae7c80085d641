package io.roster.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.entity.PeerId;
import io.roster.config.PeerUrl;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The JRaft node while it runs, and the questions every part of {@link RaftNode} asks of it: is it
 * running, does it lead, has it stopped after a failure.
 */
final class NodeHandle {

    private final RosterStateMachine stateMachine;
    private volatile Node node;

    NodeHandle(RosterStateMachine stateMachine) {
        this.stateMachine = stateMachine;
    }

    void set(Node node) {
        this.node = node;
    }

    /** The node, or null before start and after close. */
    Node current() {
        return node;
    }

    /** The running node; fails with {@link RaftUnavailableException} before start, after close, or after a failure. */
    Node require() {
        Node current = node;
        if (current == null) {
            throw new RaftUnavailableException("the Raft node is not running", false);
        }
        String failure = failure();
        if (failure != null) {
            // JRaft's node stays in its error state: only a restart brings the member back.
            throw new RaftUnavailableException("this member stopped after a failure of its " + failure + "; send requests to"
                    + " another member, and restart this one once the cause is fixed (a full disk, for example)", false);
        }
        return current;
    }

    boolean isLeader() {
        Node current = node;
        return current != null && current.isLeader();
    }

    /** Why JRaft stopped this node (a failing disk, an entry it cannot apply), or null while it runs. */
    String failure() {
        String failure = stateMachine.failure();
        if (failure != null) {
            return failure;
        }
        // JRaft enters its error state before it tells the state machine why.
        Node current = node;
        return current != null && current.getNodeState() == com.alipay.sofa.jraft.core.State.STATE_ERROR
                ? "Raft node (in its error state)" : null;
    }

    /** JRaft's Dropwizard metrics for this node (log append, replication, apply), or an empty map before start. */
    Map<String, com.codahale.metrics.Metric> metrics() {
        Node current = node;
        return current == null || current.getNodeMetrics() == null ? Map.of() : current.getNodeMetrics().getMetrics();
    }

    /**
     * A gauge of the leader's replicator for {@code peer} ({@code log-lags}, {@code next-index}, ...), or 0
     * while it has none (not leading, the member just added or removed).
     */
    long replicatorGauge(String groupId, String peer, String name) {
        return metrics().get("replicator-" + groupId + "/" + peer + "." + name)
                instanceof com.codahale.metrics.Gauge<?> gauge && gauge.getValue() instanceof Number number
                ? Math.max(0, number.longValue()) : 0;
    }

    static List<String> peersWhileLeading(Supplier<List<PeerId>> peers) {
        try {
            return peers.get().stream().map(PeerId::toString).toList();
        } catch (IllegalStateException e) {
            return List.of(); // leadership ended between the check and the call
        }
    }

    static PeerId peerId(PeerUrl url) {
        return new PeerId(url.host(), url.port());
    }
}
