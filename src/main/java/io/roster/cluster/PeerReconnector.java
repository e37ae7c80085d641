package io.roster.cluster;

import io.roster.config.PeerUrl;
import io.roster.raft.PeerState;
import io.roster.raft.RaftNode;
import io.roster.store.Member;
import io.roster.store.RosterStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * On the leader, opens the peer connection afresh to a member it has not reached for {@link #STALLED_AFTER}
 * although that member answers a probe on its peer port.
 *
 * <p>bolt, JRaft's transport, keeps one connection pool per peer and creates a pool's connections only when it
 * creates the pool. A connection that closes before it joins its pool (a peer reset while it restarts) stays
 * in it dead, and bolt's scanner later takes it out and leaves the pool empty: either way bolt never connects
 * again, and the leader's replicator fails its connection check every 50 ms while the member waits for a leader
 * that never writes to it. Two long fault runs ended that way (docs/reliability.md). Dropping the pool makes
 * the next check create a new one, and connect.
 */
public final class PeerReconnector {

    private static final Logger log = LoggerFactory.getLogger(PeerReconnector.class);
    /** How long the leader may go without reaching a member before it asks whether the member is up. */
    public static final Duration STALLED_AFTER = Duration.ofSeconds(10);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final RaftNode raft;
    private final RosterStore store;
    private final long laggingThreshold;
    /**
     * When each peer was last probed: a member that stays unreachable is probed once per {@link #STALLED_AFTER},
     * not every round (a paused member holds a probe for its whole timeout).
     */
    private final Map<String, Long> probedAt = new ConcurrentHashMap<>();

    PeerReconnector(RaftNode raft, RosterStore store, long laggingThreshold) {
        this.raft = raft;
        this.store = store;
        this.laggingThreshold = laggingThreshold;
    }

    /** Called on the leader by the membership timer. */
    void reconnectStalledPeers() {
        for (PeerState peer : raft.peerStates(laggingThreshold)) {
            if (peer.state() != PeerState.State.UNREACHABLE || peer.sinceLastContact() == null
                    || peer.sinceLastContact().compareTo(STALLED_AFTER) < 0 || probedRecently(peer.peer())) {
                continue;
            }
            Optional<Member> member = store.members().stream()
                    .filter(candidate -> MembershipService.address(candidate).equals(peer.peer())).findFirst();
            if (member.isEmpty()) {
                continue;
            }
            PeerUrl url = PeerUrl.parse(member.get().peerUrls().get(0), "member " + member.get().name());
            probedAt.put(peer.peer(), System.nanoTime());
            if (raft.probe().ask(List.of(url), MembershipService.CLUSTER_INFO, null, PROBE_TIMEOUT).isEmpty()) {
                continue; // down or cut off: nothing a new connection would change
            }
            log.warn("Reconnecting to member {} at {}: it answers on its peer port, but the leader has not reached it for {} s",
                    member.get().name(), peer.peer(), peer.sinceLastContact().toSeconds());
            raft.reconnect(peer.peer());
        }
    }

    private boolean probedRecently(String peer) {
        Long at = probedAt.get(peer);
        return at != null && System.nanoTime() - at < STALLED_AFTER.toNanos();
    }
}
