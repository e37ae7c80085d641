package io.roster.cluster;

import io.roster.config.InitialCluster;
import io.roster.identity.MemberIds;
import io.roster.identity.NodeIdentity;
import io.roster.config.PeerUrl;
import io.roster.raft.PeerState;
import io.roster.raft.RaftNode;
import io.roster.store.Member;
import io.roster.store.RosterStore;
import io.roster.store.command.AddMember;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * On the leader, brings Raft's configuration to the member table, one change at a time (JRaft allows one
 * configuration change in flight), so that a change half done when a leader crashed is finished by the
 * next one:
 * <ol>
 * <li>bootstrap members in the configuration but not yet in the table are recorded (by a member that
 * bootstrapped the cluster, within its first moments as leader);</li>
 * <li>a member in the table but not in the configuration joins as a learner: it never counts toward
 * quorum while it is not running or catching up;</li>
 * <li>a learner meant to vote is promoted once it is reachable and within the lag threshold;</li>
 * <li>a peer in the configuration that no member has (removed, or moved to new peer URLs) is removed.</li>
 * </ol>
 */
public final class MembershipReconciler {

    private static final Logger log = LoggerFactory.getLogger(MembershipReconciler.class);

    private final RaftNode raft;
    private final RosterStore store;
    private final NodeIdentity identity;
    private final long laggingThreshold;
    private final boolean forcedNewCluster;
    private final AtomicBoolean changing = new AtomicBoolean();
    private final PeerReconnector reconnector;

    /**
     * @param forcedNewCluster this member restarted the cluster alone from its data: every other member
     *                         is removed from the table (they must rejoin as new members)
     */
    public MembershipReconciler(RaftNode raft, RosterStore store, NodeIdentity identity, long laggingThreshold,
                                boolean forcedNewCluster) {
        this.raft = raft;
        this.store = store;
        this.identity = identity;
        this.laggingThreshold = laggingThreshold;
        this.forcedNewCluster = forcedNewCluster;
        this.reconnector = new PeerReconnector(raft, store, laggingThreshold);
    }

    /** Makes at most one change; called periodically on every member, acts only on the leader. */
    public void reconcile() {
        if (!raft.isLeader()) {
            return;
        }
        reconnector.reconnectStalledPeers();
        if (!changing.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<?> change;
        try {
            change = nextChange();
        } catch (RuntimeException e) {
            changing.set(false);
            log.warn("Membership reconciliation failed: {}", e.getMessage());
            return;
        }
        change.whenComplete((ignored, error) -> {
            changing.set(false);
            if (error != null) {
                log.warn("Membership change did not complete, will retry: {}", error.getMessage());
            }
        });
    }

    private CompletableFuture<?> nextChange() {
        RaftNode.Membership conf = raft.configuration();
        if (conf.voters().isEmpty()) {
            return CompletableFuture.completedFuture(null); // leadership ended meanwhile
        }
        List<Member> members = store.members();
        if (forcedNewCluster) {
            for (Member member : members) {
                if (member.id() != identity.memberId()) {
                    log.warn("Forced new cluster: removing former member {} ({})", member.name(), MemberIds.hex(member.id()));
                    return raft.propose(new io.roster.store.command.RemoveMember(member.id()));
                }
            }
        }
        Set<String> memberAddresses = new HashSet<>();
        members.forEach(member -> memberAddresses.add(MembershipService.address(member)));
        Set<String> configured = new HashSet<>(conf.voters());
        configured.addAll(conf.learners());

        Set<Long> memberIds = new HashSet<>();
        members.forEach(member -> memberIds.add(member.id()));
        String self = RaftNode.peerAddress(identity.peerUrl());
        for (String peer : configured) {
            if (memberAddresses.contains(peer)) {
                continue;
            }
            Optional<Member> bootstrap = bootstrapMember(peer);
            if (bootstrap.isPresent() && !memberIds.contains(bootstrap.get().id())
                    && !store.isRemovedMember(bootstrap.get().id())) {
                log.info("Recording bootstrap member {} at {}", bootstrap.get().name(), peer);
                return raft.propose(new AddMember(bootstrap.get()));
            }
            if (!peer.equals(self) || store.isRemovedMember(identity.memberId())) {
                // A removed leader takes itself out too; JRaft then makes it step down.
                log.info("Removing {} from the Raft configuration: no member has that peer address any more", peer);
                return raft.removeFromConfiguration(peer);
            }
        }
        for (Member member : members) {
            String address = MembershipService.address(member);
            if (!configured.contains(address)) {
                log.info("Adding member {} ({}) at {} as a learner until it catches up", member.name(),
                        MemberIds.hex(member.id()), address);
                return raft.addLearner(PeerUrl.parse(member.peerUrls().get(0), "member " + member.name()));
            }
            if (!member.learner() && conf.learners().contains(address) && caughtUp(address)) {
                log.info("Promoting member {} ({}) to voter: it has caught up", member.name(), MemberIds.hex(member.id()));
                return raft.promote(PeerUrl.parse(member.peerUrls().get(0), "member " + member.name()));
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    private boolean caughtUp(String address) {
        return raft.peerStates(laggingThreshold).stream()
                .anyMatch(peer -> peer.peer().equals(address) && peer.state() == PeerState.State.REPLICATING);
    }

    /**
     * A member of the cluster's bootstrap at that address, as the bootstrap would record it (unstarted).
     * Only a member that bootstrapped the cluster knows them: a member that joined later has a list of the
     * members at the time it was added, whose ids carry nonces.
     */
    private Optional<Member> bootstrapMember(String peerAddress) {
        if (identity.joiningExisting()) {
            return Optional.empty();
        }
        InitialCluster initial = identity.initialCluster();
        for (Map.Entry<String, PeerUrl> entry : initial.members().entrySet()) {
            if (RaftNode.peerAddress(entry.getValue()).equals(peerAddress)) {
                long id = MemberIds.memberId(identity.clusterToken(), entry.getValue());
                return Optional.of(new Member(id, entry.getKey(), List.of(entry.getValue().url()), List.of(), false));
            }
        }
        return Optional.empty();
    }
}
