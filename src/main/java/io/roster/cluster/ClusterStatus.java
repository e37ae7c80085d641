package io.roster.cluster;

import io.roster.identity.MemberIds;
import io.roster.identity.NodeIdentity;
import io.roster.config.PeerUrl;
import io.roster.raft.PeerCodec;
import io.roster.raft.PeerOperation;
import io.roster.raft.PeerUnreachableException;
import io.roster.raft.RaftNode;
import io.roster.raft.RaftStatus;
import io.roster.raft.UnknownPeerOperationException;
import io.roster.raft.UnsupportedPeerVersionException;
import io.roster.store.Member;
import io.roster.store.RosterStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Members' statuses. This member's is built here and nowhere else, for {@code GET /v1/status} and for the
 * {@link #MEMBER_STATUS} peer operation; every member's is asked of each over its peer port, all at once, as
 * {@code etcdctl endpoint status --cluster} asks each endpoint, for {@code GET /v1/status/members}.
 */
public final class ClusterStatus {

    /** A member's own status, asked of that member (any member answers for itself). */
    public static final PeerOperation<Void, MemberStatus> MEMBER_STATUS = PeerOperation.onAnyMember("member.status",
            PeerCodec.NONE, MemberStatus.CODEC);

    /**
     * One member of the member list, and what it answered: its status, or why there is none.
     *
     * @param reachable whether the member answered at all (an older release that does not know the question
     *                  answers, so it is reachable, with an error saying so)
     * @param member    as the member list holds it; {@code leader} when the member answered that it leads
     * @param status    null when there is an error
     */
    public record Report(MemberView member, boolean reachable, MemberStatus status, String error) {

        Report(Member member, boolean reachable, MemberStatus status, String error) {
            this(MemberView.of(member, status != null && MemberStatus.LEADER.equals(status.role())), reachable, status, error);
        }
    }

    private final RaftNode raft;
    private final RosterStore store;
    private final NodeIdentity identity;
    private final MemberDirectory directory;
    private final LongSupplier dbSizeBytes;
    private final String version;
    private final Duration timeout;
    /** The question being asked now: requests that arrive meanwhile (several consoles polling) share its answer. */
    private final AtomicReference<CompletableFuture<List<Report>>> asking = new AtomicReference<>();

    /**
     * @param dbSizeBytes how many bytes the data dir takes
     * @param version     this release's version
     * @param timeout     how long to wait for each member's answer
     */
    public ClusterStatus(RaftNode raft, RosterStore store, NodeIdentity identity, MemberDirectory directory,
                         LongSupplier dbSizeBytes, String version, Duration timeout) {
        this.raft = raft;
        this.store = store;
        this.identity = identity;
        this.directory = directory;
        this.dbSizeBytes = dbSizeBytes;
        this.version = version;
        this.timeout = timeout;
    }

    /** The store revision this member has applied: what an answer made of statuses reflects. */
    public long revision() {
        return store.revision();
    }

    /** This member's status now. */
    public MemberStatus self() {
        long revision = store.revision();
        RaftStatus status = raft.status();
        long leader = status.hasLeader()
                ? directory.atPeerAddress(status.leaderPeer()).map(MemberDirectory.KnownMember::id).orElse(MemberStatus.NO_LEADER)
                : MemberStatus.NO_LEADER;
        return new MemberStatus(version, identity.clusterId(), identity.memberId(), identity.name(), leader,
                role(status, directory.selfIsLearner()),
                status.term(), status.lastLogIndex(), status.committedIndex(), status.appliedIndex(), revision,
                dbSizeBytes.getAsLong());
    }

    /**
     * Every member in this member's member list (read locally: it answers without a leader, when it matters
     * most), each with its own status, asked over its peer port; this member answers for itself. Completes
     * within about the timeout, whoever is down, and never exceptionally: a member's failure is its report's.
     */
    public CompletableFuture<List<Report>> everyMember() {
        CompletableFuture<List<Report>> mine = new CompletableFuture<>();
        CompletableFuture<List<Report>> running = asking.compareAndExchange(null, mine);
        if (running != null) {
            return running.thenApply(reports -> reports);
        }
        CompletableFuture<List<Report>> asked;
        try {
            asked = ask();
        } catch (RuntimeException e) {
            asked = CompletableFuture.failedFuture(e);
        }
        asked.whenComplete((reports, error) -> {
            asking.set(null); // before answering: whoever asks after this answer gets a fresh one
            if (error == null) {
                mine.complete(reports);
            } else {
                mine.completeExceptionally(error);
            }
        });
        return mine.thenApply(reports -> reports);
    }

    private CompletableFuture<List<Report>> ask() {
        List<Member> members = store.members();
        List<PeerUrl> others = members.stream().filter(member -> member.id() != identity.memberId()).map(ClusterStatus::peerUrl).toList();
        Map<PeerUrl, CompletableFuture<MemberStatus>> answers = raft.probe().askEach(others, MEMBER_STATUS, null, timeout);
        List<CompletableFuture<Report>> reports = new ArrayList<>();
        for (Member member : members) {
            reports.add(member.id() == identity.memberId() ? CompletableFuture.completedFuture(selfReport(member))
                    : answers.get(peerUrl(member)).handle((status, error) -> report(member, identity.clusterId(), status, error)));
        }
        return CompletableFuture.allOf(reports.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> reports.stream().map(CompletableFuture::join).toList());
    }

    private Report selfReport(Member member) {
        try {
            return new Report(member, true, self(), null);
        } catch (RuntimeException e) {
            return new Report(member, true, null, String.valueOf(e.getMessage())); // Raft stopped here, say
        }
    }

    /** What a member's answer, or its failure to give one, says about it. */
    static Report report(Member member, long clusterId, MemberStatus status, Throwable failure) {
        if (failure == null) {
            if (status.clusterId() != clusterId) {
                return new Report(member, false, null, "a member of another cluster (" + MemberIds.hex(status.clusterId())
                        + ") answers at its peer URL");
            }
            if (status.memberId() != member.id()) {
                return new Report(member, false, null, "another member, " + status.name() + " (" + MemberIds.hex(status.memberId())
                        + "), answers at its peer URL");
            }
            return new Report(member, true, status, null);
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof PeerUnreachableException) {
            return new Report(member, false, null, cause.getMessage());
        }
        if (cause instanceof UnknownPeerOperationException) {
            return new Report(member, true, null, "it runs an older release, which does not answer " + MEMBER_STATUS.name());
        }
        if (cause instanceof UnsupportedPeerVersionException) {
            return new Report(member, true, null, cause.getMessage());
        }
        return new Report(member, true, null, "it could not tell its status: " + cause.getMessage());
    }

    /**
     * The member's Raft role: {@code leader}; {@code learner} for a follower the member list makes a learner
     * (JRaft does not tell them apart); otherwise JRaft's state ({@code follower}, {@code candidate}, ...).
     */
    public static String role(RaftStatus status, boolean learner) {
        if (status.leader()) {
            return MemberStatus.LEADER;
        }
        String state = status.state().toLowerCase(Locale.ROOT).replace("state_", "").replace('_', '-');
        return learner && state.equals("follower") ? "learner" : state;
    }

    private static PeerUrl peerUrl(Member member) {
        return PeerUrl.parse(member.peerUrls().get(0), "member " + member.name());
    }
}
