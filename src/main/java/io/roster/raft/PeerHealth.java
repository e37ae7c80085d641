package io.roster.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.core.Replicator;
import com.alipay.sofa.jraft.entity.PeerId;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.roster.raft.NodeHandle.peersWhileLeading;

/**
 * The leader's view of every other member: replicating, lagging or unreachable (and since when), and the
 * peer connections to drop when one needs a fresh start.
 */
final class PeerHealth {

    private final NodeHandle node;
    private final String self;
    private final String groupId;
    private final Map<String, Long> unreachableSince = new ConcurrentHashMap<>();

    PeerHealth(NodeHandle node, String self, String groupId) {
        this.node = node;
        this.self = self;
        this.groupId = groupId;
    }

    /** Told by JRaft's replicators when the leader loses or regains contact with a member. */
    Replicator.ReplicatorStateListener reachabilityTracker() {
        return new ReachabilityTracker();
    }

    List<PeerState> peerStates(long laggingThreshold) {
        Node current = node.current();
        if (current == null || !current.isLeader()) {
            return List.of();
        }
        Set<String> alive = new HashSet<>(peersWhileLeading(current::listAlivePeers));
        alive.addAll(peersWhileLeading(current::listAliveLearners));
        List<PeerState> states = new ArrayList<>();
        for (String learnerOrVoter : new String[] {"voter", "learner"}) {
            boolean learner = learnerOrVoter.equals("learner");
            for (String peer : peersWhileLeading(learner ? current::listLearners : current::listPeers)) {
                if (peer.equals(self)) {
                    continue;
                }
                long lag = node.replicatorGauge(groupId, peer, "log-lags");
                if (alive.contains(peer)) {
                    unreachableSince.remove(peer);
                    states.add(new PeerState(peer, learner, lag > laggingThreshold ? PeerState.State.LAGGING
                            : PeerState.State.REPLICATING, lag, null));
                } else {
                    long since = unreachableSince.computeIfAbsent(peer, p -> System.nanoTime());
                    states.add(new PeerState(peer, learner, PeerState.State.UNREACHABLE, lag,
                            Duration.ofNanos(System.nanoTime() - since)));
                }
            }
        }
        return states;
    }

    void reconnect(String peerAddress) {
        if (node.current() instanceof com.alipay.sofa.jraft.core.NodeImpl current) {
            current.getRpcService().disconnect(PeerId.parsePeer(peerAddress).getEndpoint());
        }
    }

    /** Remembers when the leader lost contact with each member, for "unreachable for N s". */
    private final class ReachabilityTracker implements Replicator.ReplicatorStateListener {
        @Override
        public void onCreated(PeerId peer) {
            unreachableSince.remove(peer.toString());
        }

        @Override
        public void onError(PeerId peer, Status status) {
            unreachableSince.putIfAbsent(peer.toString(), System.nanoTime());
        }

        @Override
        public void onDestroyed(PeerId peer) {
            unreachableSince.remove(peer.toString());
        }

        @Override
        public void stateChanged(PeerId peer, ReplicatorState state) {
            if (state == ReplicatorState.OFFLINE) {
                unreachableSince.putIfAbsent(peer.toString(), System.nanoTime());
            } else if (state == ReplicatorState.ONLINE) {
                unreachableSince.remove(peer.toString());
            }
        }
    }
}
