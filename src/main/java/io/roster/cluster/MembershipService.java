package io.roster.cluster;

import io.roster.common.InvalidInputException;
import io.roster.common.NotFoundException;
import io.roster.common.Revised;
import io.roster.identity.MemberIds;
import io.roster.identity.NodeIdentity;
import io.roster.config.PeerUrl;
import io.roster.raft.PeerState;
import io.roster.raft.PeerCodec;
import io.roster.raft.PeerOperation;
import io.roster.raft.RaftNode;
import io.roster.raft.RaftStatus;
import io.roster.raft.ReadConsistency;
import io.roster.store.Member;
import io.roster.store.RosterStore;
import io.roster.store.command.AddMember;
import io.roster.store.command.CommandResult;
import io.roster.store.command.PromoteMember;
import io.roster.store.command.RemoveMember;
import io.roster.store.command.UpdateMemberPeers;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Cluster membership at runtime, with etcd's semantics: list, add (recorded unstarted; it joins as a
 * learner and becomes a voter once caught up), update peer URLs, remove, promote, move leadership.
 * Changes that would leave the cluster without a quorum of reachable voters are refused unless forced.
 * The member table is the intent; {@link MembershipReconciler} brings Raft's configuration to it.
 */
public final class MembershipService {

    /** A removal to check on the leader: the member, and whether the removal is forced. */
    public record RemovalCheck(long memberId, boolean force) {
    }

    /** On the leader: why removing the member would break the cluster, or "" when it is safe. */
    public static final PeerOperation<RemovalCheck, String> CHECK_REMOVE = PeerOperation.onLeader("members.check-remove",
            PeerCodec.of(check -> ByteBuffer.allocate(Long.BYTES + 1).putLong(check.memberId()).put((byte) (check.force() ? 1 : 0))
                    .array(), bytes -> {
                if (bytes.length != Long.BYTES + 1) {
                    throw new IllegalArgumentException("a removal check is a member id and a force byte, not " + bytes.length + " bytes");
                }
                return new RemovalCheck(ByteBuffer.wrap(bytes).getLong(), bytes[Long.BYTES] == 1);
            }), PeerCodec.UTF8);
    /** On the leader: why promoting the member now would be refused, or "". */
    public static final PeerOperation<Long, String> CHECK_PROMOTE = PeerOperation.onLeader("members.check-promote",
            PeerCodec.LONG, PeerCodec.UTF8);
    public static final PeerOperation<Long, Void> TRANSFER = PeerOperation.onLeader("members.transfer-leadership",
            PeerCodec.LONG, PeerCodec.NONE);
    public static final PeerOperation<Long, Boolean> IS_VOTER = PeerOperation.onLeader("members.is-voter",
            PeerCodec.LONG, PeerCodec.BOOLEAN);
    /** Whether a peer address is in Raft's configuration, voter or learner; asked of the leader. */
    public static final PeerOperation<String, Boolean> IN_CONFIGURATION = PeerOperation.onLeader("members.in-configuration",
            PeerCodec.UTF8, PeerCodec.BOOLEAN);
    /** What a member knows of the cluster, asked by members about to start (ClusterJoin) and by the leader's PeerReconnector. */
    public static final PeerOperation<Void, ClusterInfo> CLUSTER_INFO = PeerOperation.onAnyMember("cluster.info",
            PeerCodec.NONE, PeerCodec.of(ClusterInfo::encode, ClusterInfo::decode));
    private static final long VOTER_POLL_MILLIS = 100;
    /** How long a promotion or removal waits for the leader to change Raft's configuration to match the table. */
    private static final java.time.Duration CONFIGURATION_CHANGE_WAIT = java.time.Duration.ofSeconds(10);
    private static final java.time.Duration SELF_REMOVAL_PROBE_TIMEOUT = java.time.Duration.ofSeconds(1);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,62})");

    private final RaftNode raft;
    private final RosterStore store;
    private final NodeIdentity identity;
    private final MemberDirectory directory;
    private final long laggingThreshold;
    private final java.time.Duration failureDetection;

    /**
     * @param failureDetection how long the leader may still count a member that just died as reachable
     *                         (its lease: about one election timeout)
     */
    public MembershipService(RaftNode raft, RosterStore store, NodeIdentity identity, MemberDirectory directory,
                             long laggingThreshold, java.time.Duration failureDetection) {
        this.raft = raft;
        this.store = store;
        this.identity = identity;
        this.directory = directory;
        this.laggingThreshold = laggingThreshold;
        this.failureDetection = failureDetection;
    }

    /** The cluster as this member knows it, for members about to start. */
    public ClusterInfo info() {
        return new ClusterInfo(identity.clusterId(), store.members(), store.removedMemberIds(), store.revision());
    }

    public CompletableFuture<Revised<List<MemberView>>> list(ReadConsistency consistency) {
        return raft.readBarrier(consistency).thenApply(ignored -> {
            List<MemberView> views = views();
            return new Revised<>(views, store.revision());
        });
    }

    private List<MemberView> views() {
        RaftStatus status = raft.status();
        Optional<Long> leader = status.hasLeader()
                ? directory.atPeerAddress(status.leaderPeer()).map(MemberDirectory.KnownMember::id)
                : Optional.empty();
        List<MemberView> views = new ArrayList<>();
        for (Member member : store.members()) {
            views.add(MemberView.of(member, leader.isPresent() && leader.get() == member.id()));
        }
        return views;
    }

    /** Records a new, unstarted member and answers with the settings to start it with. */
    public CompletableFuture<Added> add(String name, List<String> peerUrls, boolean learner) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw InvalidInputException.invalid("name", "name must be 1 to 63 letters, digits, '.', '_' or '-', not '" + name + "'");
        }
        List<String> peers = canonicalPeerUrls(peerUrls);
        if (store.members().stream().anyMatch(member -> member.name().equals(name))) {
            throw new MembershipException("a member named '" + name + "' already exists");
        }
        // A runtime member's id has a nonce: re-adding a removed member at the same URL makes a new member.
        long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        Member member = new Member(id, name, peers, List.of(), learner);
        String address = address(member);
        return raft.callLeader(IN_CONFIGURATION, address).thenCompose(inConfiguration -> {
            if (inConfiguration) {
                throw new MembershipException(peerAddressTaken(peers.get(0), address));
            }
            return raft.propose(new AddMember(member));
        }).thenCompose(result -> afterBarrier(() -> result)).thenApply(result -> {
            requireDone(result);
            Map<String, String> cluster = new LinkedHashMap<>();
            store.members().forEach(existing -> cluster.put(existing.name(), existing.peerUrls().get(0)));
            cluster.put(name, peers.get(0));
            String initialCluster = String.join(",", cluster.entrySet().stream()
                    .map(entry -> entry.getKey() + "=" + entry.getValue()).toList());
            return new Added(MemberView.of(member, false), initialCluster, store.revision());
        });
    }

    /** The new member, the initial-cluster setting to start it with ({@code existing} state), and the revision after. */
    public record Added(MemberView member, String initialCluster, long revision) {
    }

    public CompletableFuture<Revised<MemberView>> updatePeers(long id, List<String> peerUrls) {
        List<String> peers = canonicalPeerUrls(peerUrls);
        return afterBarrier(() -> requireMember(id))
                .thenCompose(member -> raft.propose(new UpdateMemberPeers(id, peers)))
                .thenCompose(result -> {
                    requireDone(result);
                    return afterBarrier(() -> requireMember(id));
                }).thenApply(this::revised);
    }

    /** A member the API changed, with the store revision this member has applied since. */
    private Revised<MemberView> revised(Member member) {
        return new Revised<>(MemberView.of(member, false), store.revision());
    }

    /** Removes a member; refused while that would leave no quorum of reachable voters, unless forced. */
    public CompletableFuture<Revised<MemberView>> remove(long id, boolean force) {
        return afterBarrier(() -> requireMember(id)).thenCompose(member -> raft.callLeader(CHECK_REMOVE, new RemovalCheck(id, force))
                .thenCompose(refusal -> {
                    refuseIfAny(refusal);
                    return raft.propose(new RemoveMember(id));
                }).thenCompose(result -> {
                    requireDone(result);
                    // The table no longer has it; the leader's reconciler takes it out of Raft's configuration
                    // right after. Until then it still counts toward quorum: stopping it (what an operator does
                    // next) could leave the others without one for good, when it was the leader.
                    return awaitOutOfConfiguration(member, System.nanoTime() + CONFIGURATION_CHANGE_WAIT.toNanos());
                })).thenApply(this::revised);
    }

    private CompletableFuture<Member> awaitOutOfConfiguration(Member member, long deadlineNanos) {
        return outOfConfiguration(member)
                .thenCompose(out -> {
                    if (out) {
                        return CompletableFuture.completedFuture(member);
                    }
                    if (System.nanoTime() > deadlineNanos) {
                        throw new MembershipException("the removal of " + describe(member) + " is recorded, but the leader"
                                + " has not yet taken it out of the Raft configuration, so it still counts toward quorum: keep it"
                                + " running a few seconds more before you stop it");
                    }
                    return CompletableFuture.supplyAsync(() -> member, CompletableFuture.delayedExecutor(VOTER_POLL_MILLIS,
                            java.util.concurrent.TimeUnit.MILLISECONDS)).thenCompose(again -> awaitOutOfConfiguration(member,
                            deadlineNanos));
                });
    }

    /**
     * Whether the leader has taken the member out of Raft's configuration. A member asked to remove itself cannot
     * find out through Raft: once out, no leader talks to it, so it soon knows of none. It asks the members left
     * directly, and the leader among them answers.
     */
    private CompletableFuture<Boolean> outOfConfiguration(Member member) {
        String address = address(member);
        if (member.id() != identity.memberId()) {
            // A leader that removed itself steps down: until the next one is elected, no one can answer.
            return raft.callLeader(IN_CONFIGURATION, address)
                    .handle((inConfiguration, noLeaderYet) -> noLeaderYet == null && !inConfiguration);
        }
        List<PeerUrl> others = store.members().stream().filter(other -> other.id() != identity.memberId())
                .map(other -> PeerUrl.parse(other.peerUrls().get(0), "member " + other.name())).toList();
        return CompletableFuture.supplyAsync(() -> raft.probe().ask(others, IN_CONFIGURATION, address, SELF_REMOVAL_PROBE_TIMEOUT)
                .values().stream().anyMatch(inConfiguration -> !inConfiguration));
    }

    public boolean inConfigurationOnLeader(String address) {
        if (raft.configurationChanging(address)) {
            // The change taking it out may be in this leader's log only: stopped now, it could still be needed
            // for a quorum (of two members, the one left would wait for it forever).
            return true;
        }
        RaftNode.Membership conf = raft.configuration();
        return conf.voters().contains(address) || conf.learners().contains(address);
    }

    public CompletableFuture<Revised<MemberView>> promote(long id) {
        return afterBarrier(() -> requireMember(id)).thenCompose(member -> {
            if (!member.learner()) {
                throw new MembershipException("member " + describe(member) + " is already a voter");
            }
            return promoteLearner(id);
        }).thenApply(this::revised);
    }

    private CompletableFuture<Member> promoteLearner(long id) {
        return raft.callLeader(CHECK_PROMOTE, id).thenCompose(refusal -> {
            refuseIfAny(refusal);
            return raft.propose(new PromoteMember(id));
        }).thenCompose(result -> {
            requireDone(result);
            // The table now says voter; the leader's reconciler changes Raft's configuration right after.
            return awaitVoter(id, System.nanoTime() + CONFIGURATION_CHANGE_WAIT.toNanos());
        });
    }

    private CompletableFuture<Member> awaitVoter(long id, long deadlineNanos) {
        return raft.callLeader(IS_VOTER, id).thenCompose(voter -> {
            if (voter) {
                return afterBarrier(() -> requireMember(id));
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new MembershipException("the promotion of " + describe(requireMember(id)) + " is recorded but the"
                        + " leader has not finished the configuration change yet; GET /v1/members shows when it has");
            }
            return CompletableFuture.supplyAsync(() -> id, CompletableFuture.delayedExecutor(VOTER_POLL_MILLIS,
                    java.util.concurrent.TimeUnit.MILLISECONDS)).thenCompose(again -> awaitVoter(id, deadlineNanos));
        });
    }

    public boolean isVoterOnLeader(long id) {
        return store.members().stream().filter(member -> member.id() == id).findFirst()
                .map(member -> raft.configuration().voters().contains(address(member))).orElse(false);
    }

    public CompletableFuture<Revised<MemberView>> transferLeadership(long id) {
        return afterBarrier(() -> requireMember(id)).thenCompose(member ->
                raft.callLeader(TRANSFER, id).thenApply(ignored -> member)).thenApply(this::revised);
    }

    /** Reads the member table only after this member has applied everything already acknowledged. */
    private <T> CompletableFuture<T> afterBarrier(java.util.function.Supplier<T> read) {
        return raft.readBarrier().thenApply(ignored -> read.get());
    }

    public CompletableFuture<Void> transferOnLeader(long id) {
        Member member = requireMember(id);
        PeerUrl peer = PeerUrl.parse(member.peerUrls().get(0), "member " + member.name());
        if (RaftNode.peerAddress(peer).equals(RaftNode.peerAddress(identity.peerUrl()))) {
            return CompletableFuture.completedFuture(null); // already the leader
        }
        if (!raft.configuration().voters().contains(RaftNode.peerAddress(peer))) {
            return CompletableFuture.failedFuture(new MembershipException("cannot move leadership to " + describe(member)
                    + ": it is not a voter (a learner, or not yet caught up)"));
        }
        return raft.transferLeadershipTo(peer).exceptionally(error -> {
            throw new MembershipException("cannot move leadership to " + describe(member) + ": " + error.getMessage());
        });
    }

    /**
     * JRaft counts a member reachable until a whole leader lease passes without an answer, so a member that
     * died a moment ago still looks alive. Look again after that long: a removal that would leave no
     * reachable quorum either time is refused (seen taking a cluster down when sent 30 ms after a kill -9).
     */
    public CompletableFuture<String> checkRemovalOnLeader(RemovalCheck check) {
        return checkRemovalTwice(check.memberId(), check.force());
    }

    private CompletableFuture<String> checkRemovalTwice(long id, boolean force) {
        String now = removalRefusal(id, force);
        if (!now.isEmpty() || force) {
            return CompletableFuture.completedFuture(now);
        }
        return CompletableFuture.supplyAsync(() -> removalRefusal(id, false),
                CompletableFuture.delayedExecutor(failureDetection.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
    }

    /** On the leader: why removing this member would break the cluster, or "" when it is safe. */
    String removalRefusal(long id, boolean force) {
        Member member = store.members().stream().filter(m -> m.id() == id).findFirst().orElse(null);
        if (member == null) {
            return "no member has id " + MemberIds.hex(id);
        }
        RaftNode.Membership conf = raft.configuration();
        String address = address(member);
        if (!conf.voters().contains(address)) {
            return ""; // a learner or an unstarted member never counts toward quorum
        }
        List<String> votersAfter = new ArrayList<>(conf.voters());
        votersAfter.remove(address);
        if (votersAfter.isEmpty()) {
            return "member " + describe(member) + " is the last voter; a cluster cannot remove its last member";
        }
        long reachable = reachableVoters(votersAfter);
        int quorum = votersAfter.size() / 2 + 1;
        if (reachable < quorum && !force) {
            return "removing " + describe(member) + " would leave " + votersAfter.size() + " voters of which only " + reachable
                    + " are reachable, below the quorum of " + quorum + "; bring a member back first, or force the removal";
        }
        return "";
    }

    /** On the leader: why this member cannot become a voter yet, or "" when it can. */
    public String promotionRefusal(long id) {
        Member member = store.members().stream().filter(m -> m.id() == id).findFirst().orElse(null);
        if (member == null) {
            return "no member has id " + MemberIds.hex(id);
        }
        String address = address(member);
        RaftNode.Membership conf = raft.configuration();
        if (conf.voters().contains(address)) {
            return "member " + describe(member) + " is already a voter";
        }
        Optional<PeerState> state = raft.peerStates(laggingThreshold).stream()
                .filter(peer -> peer.peer().equals(address)).findFirst();
        if (state.isEmpty() || state.get().state() == PeerState.State.UNREACHABLE) {
            return "member " + describe(member) + " is not running or not reachable from the leader; start it first";
        }
        if (state.get().lagEntries() > laggingThreshold) {
            return "member " + describe(member) + " is " + state.get().lagEntries() + " entries behind the leader; it can be"
                    + " promoted once it is within " + laggingThreshold + " (roster.raft.lagging-threshold-entries)";
        }
        return "";
    }

    private long reachableVoters(List<String> voters) {
        String self = RaftNode.peerAddress(identity.peerUrl());
        long reachable = voters.contains(self) ? 1 : 0;
        for (PeerState peer : raft.peerStates(laggingThreshold)) {
            if (voters.contains(peer.peer()) && peer.state() != PeerState.State.UNREACHABLE) {
                reachable++;
            }
        }
        return reachable;
    }

    /**
     * Why a new member cannot have this peer address while Raft's configuration has it. The reconciler knows
     * members by peer address: a new member recorded there before a removed one is out of the configuration would
     * take its place as a voter, on an empty log, instead of joining as a learner.
     */
    private String peerAddressTaken(String peerUrl, String address) {
        return store.members().stream().filter(member -> address(member).equals(address)).findFirst()
                .map(member -> "peer URL " + peerUrl + " is already used by member " + describe(member))
                .orElse("peer URL " + peerUrl + " still belongs to a removed member: the leader has not yet taken it out of"
                        + " the Raft configuration. Try again in a few seconds");
    }

    static String address(Member member) {
        return RaftNode.peerAddress(PeerUrl.parse(member.peerUrls().get(0), "member " + member.name()));
    }

    private static String describe(Member member) {
        return (member.name().isEmpty() ? "(unstarted)" : member.name()) + " (" + MemberIds.hex(member.id()) + ")";
    }

    private Member requireMember(long id) {
        return store.members().stream().filter(member -> member.id() == id).findFirst()
                .orElseThrow(() -> new NotFoundException("no member has id " + MemberIds.hex(id), store.revision()));
    }

    private List<String> canonicalPeerUrls(List<String> peerUrls) {
        if (peerUrls == null || peerUrls.isEmpty()) {
            throw InvalidInputException.invalid("peerUrls", "peerUrls needs at least one URL such as http://10.0.0.4:2380");
        }
        List<String> canonical = new ArrayList<>();
        boolean tls = identity.peerUrl().tls();
        for (String url : peerUrls) {
            PeerUrl peer;
            try {
                peer = PeerUrl.parse(url, "peerUrls");
            } catch (RuntimeException e) {
                throw InvalidInputException.invalid("peerUrls", e.getMessage());
            }
            if (peer.tls() != tls) {
                throw InvalidInputException.invalid("peerUrls", "peer URL " + peer + (tls
                        ? " is plain http://, but members of this cluster talk mutual TLS: use https://"
                        : " is https://, but members of this cluster talk plain TCP: use http://"));
            }
            canonical.add(peer.url());
        }
        return canonical;
    }

    private static void requireDone(CommandResult result) {
        if (result instanceof CommandResult.Rejected rejected) {
            throw new MembershipException(rejected.reason());
        }
    }

    private static void refuseIfAny(String refusal) {
        if (!refusal.isEmpty()) {
            throw new MembershipException(refusal);
        }
    }
}
