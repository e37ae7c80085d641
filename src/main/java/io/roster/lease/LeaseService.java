package io.roster.lease;

import io.roster.common.InvalidInputException;
import io.roster.common.NotFoundException;
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
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Lease operations for clients. Grants and revocations are log entries; keep-alives and time-to-live
 * queries go to the leader's {@link LeaseKeeper}, from whichever node received them, and write nothing.
 */
public final class LeaseService {

    static final String KEEP_ALIVE = "lease.keep-alive";
    static final String TIME_TO_LIVE = "lease.time-to-live";
    static final String REMAINING = "lease.remaining";
    /** Leases whose time left one call asks for: a service's instances, as many as a lookup returns. */
    static final int MAX_REMAINING_IDS = 100_000;

    private final RaftNode raft;
    private final RosterStore store;
    private final Duration minTtl;
    private final Duration maxTtl;

    public LeaseService(RaftNode raft, RosterStore store, LeaseKeeper keeper, Duration minTtl, Duration maxTtl) {
        this.raft = raft;
        this.store = store;
        this.minTtl = minTtl;
        this.maxTtl = maxTtl;
        raft.registerLeaderHandler(KEEP_ALIVE, request -> keeper.renew(decodeId(request)).thenApply(LeaseService::encodeTtl));
        raft.registerLeaderHandler(TIME_TO_LIVE, request -> CompletableFuture.completedFuture(
                encodeInfo(describe(keeper, decodeId(request)))));
        raft.registerLeaderHandler(REMAINING, request -> {
            long[] ids = decodeIds(request);
            ByteBuffer answer = ByteBuffer.allocate(Long.BYTES * ids.length);
            for (long id : ids) {
                Long remaining = keeper.remainingMillis(id);
                answer.putLong(remaining == null ? -1 : remaining);
            }
            return CompletableFuture.completedFuture(answer.array());
        });
    }

    public CompletableFuture<CommandResult.LeaseGranted> grant(long ttlSeconds) {
        if (ttlSeconds < minTtl.toSeconds() || ttlSeconds > maxTtl.toSeconds()) {
            throw InvalidInputException.overLimit("ttlSeconds", "ttlSeconds must be between " + minTtl.toSeconds()
                    + " and " + maxTtl.toSeconds() + " (roster.leases.min-ttl / max-ttl), not " + ttlSeconds,
                    minTtl.toSeconds() + ".." + maxTtl.toSeconds(), false);
        }
        return grantWithFreshId(ttlSeconds, 3);
    }

    private CompletableFuture<CommandResult.LeaseGranted> grantWithFreshId(long ttlSeconds, int attemptsLeft) {
        // The id is chosen here, before proposing, so that every replica agrees on it.
        long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        return raft.propose(new GrantLease(id, ttlSeconds)).thenCompose(result -> {
            if (result instanceof CommandResult.LeaseGranted granted) {
                return CompletableFuture.completedFuture(granted);
            }
            if (result instanceof CommandResult.LeaseAlreadyExists && attemptsLeft > 1) {
                return grantWithFreshId(ttlSeconds, attemptsLeft - 1);
            }
            throw new IllegalStateException("unexpected result of a lease grant: " + result);
        });
    }

    /** Restarts the lease's countdown; completes with its TTL or fails with {@link NotFoundException}. */
    public CompletableFuture<Long> keepAlive(long id) {
        return raft.callLeaderCoalesced(KEEP_ALIVE, encodeId(id)).thenApply(answer -> {
            long ttl = ByteBuffer.wrap(answer).getLong();
            if (ttl < 0) {
                throw leaseNotFound(id);
            }
            return ttl;
        });
    }

    public CompletableFuture<LeaseInfo> timeToLive(long id) {
        return raft.callLeader(TIME_TO_LIVE, encodeId(id)).thenApply(answer -> {
            LeaseInfo info = decodeInfo(answer);
            if (info == null) {
                throw leaseNotFound(id);
            }
            return info;
        });
    }

    /**
     * Milliseconds left on the leader's clock for each lease that still exists, in one round trip for
     * all of them; a lease that is gone is left out.
     */
    public CompletableFuture<Map<Long, Long>> remainingMillis(List<Long> ids) {
        if (ids.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        ByteBuffer request = ByteBuffer.allocate(Long.BYTES * ids.size());
        ids.forEach(request::putLong);
        return raft.callLeader(REMAINING, request.array()).thenApply(answer -> {
            ByteBuffer remaining = ByteBuffer.wrap(answer);
            if (remaining.remaining() != Long.BYTES * ids.size()) {
                throw new IllegalStateException("the leader answered " + remaining.remaining() / Long.BYTES
                        + " remaining times for " + ids.size() + " leases");
            }
            Map<Long, Long> byLease = new HashMap<>();
            for (long id : ids) {
                long millis = remaining.getLong();
                if (millis >= 0) {
                    byLease.put(id, millis);
                }
            }
            return byLease;
        });
    }

    public CompletableFuture<CommandResult.LeaseRevoked> revoke(long id) {
        return raft.propose(new RevokeLease(id, false)).thenApply(result -> {
            if (result instanceof CommandResult.LeaseRevoked revoked) {
                return revoked;
            }
            throw leaseNotFound(id);
        });
    }

    private NotFoundException leaseNotFound(long id) {
        return new NotFoundException("lease " + LeaseIds.format(id) + " not found: it expired, was revoked, or never existed",
                store.revision());
    }

    private LeaseInfo describe(LeaseKeeper keeper, long id) {
        var lease = store.lease(id);
        Long remaining = keeper.remainingMillis(id);
        if (lease == null || remaining == null) {
            return null;
        }
        return new LeaseInfo(id, lease.ttlSeconds(), remaining, store.keysOfLease(id));
    }

    // The answers between peers are tiny; a fixed layout is enough and stays private to this class.

    private static byte[] encodeId(long id) {
        return ByteBuffer.allocate(Long.BYTES).putLong(id).array();
    }

    private static long decodeId(byte[] request) {
        if (request == null || request.length != Long.BYTES) {
            throw new IllegalArgumentException("a lease request carries one 8-byte id");
        }
        return ByteBuffer.wrap(request).getLong();
    }

    private static long[] decodeIds(byte[] request) {
        if (request == null || request.length % Long.BYTES != 0 || request.length / Long.BYTES > MAX_REMAINING_IDS) {
            throw new IllegalArgumentException("a lease.remaining request carries at most " + MAX_REMAINING_IDS + " 8-byte ids");
        }
        long[] ids = new long[request.length / Long.BYTES];
        ByteBuffer.wrap(request).asLongBuffer().get(ids);
        return ids;
    }

    private static byte[] encodeTtl(Long ttl) {
        return ByteBuffer.allocate(Long.BYTES).putLong(ttl == null ? -1 : ttl).array();
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
            throw new UncheckedIOException("malformed lease answer from the leader", e);
        }
    }
}
