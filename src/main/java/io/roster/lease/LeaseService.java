package io.roster.lease;

import io.roster.common.InvalidInputException;
import io.roster.common.NotFoundException;
import io.roster.raft.PeerCodec;
import io.roster.raft.PeerOperation;
import io.roster.raft.RaftNode;
import io.roster.store.RosterStore;
import io.roster.store.command.CommandResult;
import io.roster.store.command.GrantLease;
import io.roster.store.command.RevokeLease;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Lease operations for clients. Grants and revocations are log entries; keep-alives and time-to-live
 * queries go to the leader's {@link LeaseKeeper}, from whichever node received them, and write nothing.
 */
public final class LeaseService {

    /** Leases whose time left one call asks for: a service's instances, as many as a lookup returns. */
    static final int MAX_REMAINING_IDS = 100_000;
    /** Restarts a lease's countdown on the leader: its TTL in seconds, or -1 when it is gone. */
    public static final PeerOperation<Long, Long> KEEP_ALIVE = PeerOperation.onLeader("lease.keep-alive", PeerCodec.LONG,
            PeerCodec.LONG);
    /** A lease as the leader's clock sees it, or null when it is gone. */
    public static final PeerOperation<Long, LeaseInfo> TIME_TO_LIVE = PeerOperation.onLeader("lease.time-to-live",
            PeerCodec.LONG, PeerCodec.of(LeaseService::encodeInfo, LeaseService::decodeInfo));
    /** Milliseconds left on the leader's clock for each lease asked, -1 for one that is gone. */
    public static final PeerOperation<long[], long[]> REMAINING = PeerOperation.onLeader("lease.remaining",
            PeerCodec.of(PeerCodec.LONGS::encode, LeaseService::decodeIds), PeerCodec.LONGS);

    private final RaftNode raft;
    private final RosterStore store;
    private final Duration minTtl;
    private final Duration maxTtl;
    private final LeaseKeeper keeper;

    public LeaseService(RaftNode raft, RosterStore store, LeaseKeeper keeper, Duration minTtl, Duration maxTtl) {
        this.raft = raft;
        this.store = store;
        this.keeper = keeper;
        this.minTtl = minTtl;
        this.maxTtl = maxTtl;
    }

    /** {@link #KEEP_ALIVE}, on the leader. */
    public CompletableFuture<Long> keepAliveOnLeader(long id) {
        return onceAppliedIf(() -> keeper.renew(id), Objects::isNull).thenApply(ttl -> ttl == null ? -1 : ttl);
    }

    /** {@link #TIME_TO_LIVE}, on the leader. */
    public CompletableFuture<LeaseInfo> describeOnLeader(long id) {
        return onceAppliedIf(() -> CompletableFuture.completedFuture(describeNow(id)), Objects::isNull);
    }

    private LeaseInfo describeNow(long id) {
        var lease = store.lease(id);
        Long remaining = keeper.remainingMillis(id);
        if (lease == null || remaining == null) {
            return null;
        }
        return new LeaseInfo(id, lease.ttlSeconds(), remaining, store.keysOfLease(id));
    }

    /** {@link #REMAINING}, on the leader. */
    public CompletableFuture<long[]> remainingOnLeader(long[] ids) {
        return onceAppliedIf(() -> CompletableFuture.completedFuture(remainingNow(ids)),
                remaining -> Arrays.stream(remaining).anyMatch(millis -> millis < 0));
    }

    private long[] remainingNow(long[] ids) {
        long[] remaining = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            Long millis = keeper.remainingMillis(ids[i]);
            remaining[i] = millis == null ? -1 : millis;
        }
        return remaining;
    }

    /**
     * What the leader's lease clock says now or, when that names a lease it does not have, once the leader
     * has applied every committed entry. A follower applies an entry as soon as it learns that it is
     * committed, which can be before the leader itself has: a lease just granted (an instance registered
     * again through a follower) may be in the follower's copy and not yet in the leader's clock, and
     * saying it is gone would expire the instance for a client that keeps its heartbeats (etcd's leader
     * waits for its applied index before a renewal for the same reason).
     */
    private <T> CompletableFuture<T> onceAppliedIf(Supplier<CompletableFuture<T>> read, Predicate<T> missesALease) {
        CompletableFuture<T> now = read.get();
        if (now.isDone() && !now.isCompletedExceptionally() && !missesALease.test(now.join())) {
            return now; // every keep-alive of a live lease: no stage added to the leader's busiest path
        }
        return now.thenCompose(answer -> missesALease.test(answer) ? raft.readBarrier().thenCompose(applied -> read.get()) : now);
    }

    /** A lease just granted, and the revision its grant created. */
    public record Granted(long id, long ttlSeconds, long revision) {
    }

    /** A lease's countdown restarted at its TTL, and the store revision this member had applied then. */
    public record Renewed(long ttlSeconds, long revision) {
    }

    /** A lease as {@link #timeToLive} found it, and the store revision this member had applied then. */
    public record Described(LeaseInfo lease, long revision) {
    }

    /** A lease revoked, how many keys went with it, and the revision that deleted them. */
    public record Revoked(long id, int deletedKeys, long revision) {
    }

    public CompletableFuture<Granted> grant(long ttlSeconds) {
        if (ttlSeconds < minTtl.toSeconds() || ttlSeconds > maxTtl.toSeconds()) {
            throw InvalidInputException.overLimit("ttlSeconds", "ttlSeconds must be between " + minTtl.toSeconds()
                    + " and " + maxTtl.toSeconds() + " (roster.leases.min-ttl / max-ttl), not " + ttlSeconds,
                    minTtl.toSeconds() + ".." + maxTtl.toSeconds(), false);
        }
        return grantWithFreshId(ttlSeconds, 3);
    }

    private CompletableFuture<Granted> grantWithFreshId(long ttlSeconds, int attemptsLeft) {
        // The id is chosen here, before proposing, so that every replica agrees on it.
        long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        return raft.propose(new GrantLease(id, ttlSeconds)).thenCompose(result -> {
            if (result instanceof CommandResult.LeaseGranted granted) {
                return CompletableFuture.completedFuture(new Granted(granted.id(), granted.ttlSeconds(), granted.revision()));
            }
            if (result instanceof CommandResult.LeaseAlreadyExists && attemptsLeft > 1) {
                return grantWithFreshId(ttlSeconds, attemptsLeft - 1);
            }
            throw new IllegalStateException("unexpected result of a lease grant: " + result);
        });
    }

    /** Restarts the lease's countdown; completes with its TTL or fails with {@link NotFoundException}. */
    public CompletableFuture<Renewed> keepAlive(long id) {
        return raft.callLeaderCoalesced(KEEP_ALIVE, id).thenApply(ttl -> {
            if (ttl < 0) {
                throw leaseNotFound(id);
            }
            return new Renewed(ttl, store.revision());
        });
    }

    public CompletableFuture<Described> timeToLive(long id) {
        return raft.callLeader(TIME_TO_LIVE, id).thenApply(info -> {
            if (info == null) {
                throw leaseNotFound(id);
            }
            return new Described(info, store.revision());
        });
    }

    /** The keys bound to a lease in this member's copy, none when it is unknown here; no read barrier. */
    public List<String> keysOf(long id) {
        return store.keysOfLease(id);
    }

    /**
     * Milliseconds left on the leader's clock for each lease that still exists, in one round trip for
     * all of them; a lease that is gone is left out.
     */
    public CompletableFuture<Map<Long, Long>> remainingMillis(List<Long> ids) {
        if (ids.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        long[] request = ids.stream().mapToLong(Long::longValue).toArray();
        return raft.callLeader(REMAINING, request).thenApply(remaining -> {
            if (remaining.length != request.length) {
                throw new IllegalStateException("the leader answered " + remaining.length + " remaining times for "
                        + request.length + " leases");
            }
            Map<Long, Long> byLease = new HashMap<>();
            for (int i = 0; i < request.length; i++) {
                if (remaining[i] >= 0) {
                    byLease.put(request[i], remaining[i]);
                }
            }
            return byLease;
        });
    }

    public CompletableFuture<Revoked> revoke(long id) {
        return raft.propose(new RevokeLease(id, false)).thenApply(result -> {
            if (result instanceof CommandResult.LeaseRevoked revoked) {
                return new Revoked(revoked.id(), revoked.deletedKeys(), revoked.revision());
            }
            throw leaseNotFound(id);
        });
    }

    private NotFoundException leaseNotFound(long id) {
        return new NotFoundException("lease " + LeaseIds.format(id) + " not found: it expired, was revoked, or never existed",
                store.revision());
    }

    private static long[] decodeIds(byte[] request) {
        if (request.length / Long.BYTES > MAX_REMAINING_IDS) {
            throw new IllegalArgumentException("a lease.remaining request carries at most " + MAX_REMAINING_IDS + " ids");
        }
        return PeerCodec.LONGS.decode(request);
    }

    private static byte[] encodeInfo(LeaseInfo info) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeBoolean(info != null);
            if (info != null) {
                out.writeLong(info.id());
                out.writeLong(info.ttlSeconds());
                out.writeLong(info.remainingMillis());
                out.writeInt(info.keys().size());
                for (String key : info.keys()) {
                    out.writeUTF(key);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static LeaseInfo decodeInfo(byte[] answer) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(answer))) {
            if (!in.readBoolean()) {
                return null;
            }
            long id = in.readLong();
            long ttl = in.readLong();
            long remaining = in.readLong();
            int count = in.readInt();
            List<String> keys = new ArrayList<>(Math.min(count, 1024));
            for (int i = 0; i < count; i++) {
                keys.add(in.readUTF());
            }
            return new LeaseInfo(id, ttl, remaining, keys);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed lease answer from the leader", e);
        }
    }
}
