package io.roster.registry;

import io.roster.common.NotFoundException;
import io.roster.lease.LeaseService;
import io.roster.raft.PeerCodec;
import io.roster.raft.PeerOperation;
import io.roster.raft.RaftNode;
import io.roster.raft.ReadConsistency;
import io.roster.store.KeyValue;
import io.roster.store.Lease;
import io.roster.store.RangeResult;
import io.roster.store.RosterStore;
import io.roster.store.command.CommandResult;
import io.roster.store.command.GrantAndPut;
import io.roster.store.command.Put;
import io.roster.store.command.RevokeLease;
import io.roster.watch.WatchHub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The service registry: a typed view over instance keys, each bound to its own lease. Registrations and
 * changes are log entries; heartbeats renew the instance's lease on the leader and write nothing.
 */
public final class RegistryService {

    /**
     * A heartbeat as members before ADR 0016 forwarded it, by instance key: served so that they still work
     * against a newer leader during a rolling upgrade; answers the TTL and the remaining milliseconds, or
     * -1 and -1 when the instance is gone.
     */
    public static final PeerOperation<String, long[]> LEGACY_HEARTBEAT = PeerOperation.onLeader("registry.heartbeat",
            PeerCodec.UTF8, PeerCodec.LONGS);
    private static final int PATCH_ATTEMPTS = 5;
    /** How many new leases one heartbeat follows its instance to before a registration counts as its renewal. */
    private static final int LEASE_CHANGES = 3;
    private static final long NO_LEASE = 0;

    private final RaftNode raft;
    private final RosterStore store;
    private final LeaseService leases;
    private final LongSupplier wallClock;
    private final WatchHub hub;
    private final RegistryLimits limits;

    public RegistryService(RaftNode raft, RosterStore store, LeaseService leases, WatchHub hub,
                           RegistryLimits limits, LongSupplier wallClock) {
        this.raft = raft;
        this.wallClock = wallClock;
        this.store = store;
        this.leases = leases;
        this.hub = hub;
        this.limits = limits;
    }

    /** {@link #LEGACY_HEARTBEAT}, on the leader. */
    public CompletableFuture<long[]> legacyHeartbeatOnLeader(String key) {
        KeyValue kv = store.get(key);
        // Missing here may only mean that this leader has not yet applied a registration a follower has.
        CompletableFuture<KeyValue> instance = kv != null ? CompletableFuture.completedFuture(kv)
                : raft.readBarrier().thenApply(applied -> store.get(key));
        return instance.thenCompose(found -> found == null ? CompletableFuture.completedFuture(-1L) : leases.keepAliveOnLeader(found.lease()))
                .thenApply(ttl -> ttl < 0 ? new long[] {-1, -1} : new long[] {ttl, ttl * 1000});
    }

    public RegistryLimits limits() {
        return limits;
    }

    public CompletableFuture<Registration> register(String service, String instanceId, InstanceSpec spec) {
        requireNames(service, instanceId);
        limits.require(spec);
        // The registration's time is taken here, on the member that took it, and travels in the command:
        // every replica stores the same value, and the store itself reads no clock.
        return register(RegistryKeys.instanceKey(service, instanceId), InstanceCodec.encode(spec, wallClock.getAsLong()),
                spec.ttlSeconds(), 3);
    }

    private CompletableFuture<Registration> register(String key, byte[] value, long ttlSeconds, int attemptsLeft) {
        long leaseId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        return raft.propose(new GrantAndPut(key, value, leaseId, ttlSeconds)).thenCompose(result -> {
            if (result instanceof CommandResult.Written written) {
                return CompletableFuture.completedFuture(new Registration(InstanceCodec.decode(written.kv()),
                        written.previous() == null, written.revision()));
            }
            if (result instanceof CommandResult.LeaseAlreadyExists && attemptsLeft > 1) {
                return register(key, value, ttlSeconds, attemptsLeft - 1);
            }
            throw new IllegalStateException("unexpected result of a registration: " + result);
        });
    }

    /**
     * Renews the instance's lease; fails with {@link NotFoundException} once it expired or was removed.
     * It is a lease keep-alive, like any other lease's. The instance's lease is read from this member's
     * copy; a copy that is missing, or that names a lease the leader no longer has, may only be behind (the
     * instance was just registered or re-registered through another member), so it is read again after a
     * read barrier. The instance is gone only when, after that barrier, it is missing or still names the
     * lease the leader refused. A lease that changed meanwhile was replaced by a registration that raced
     * this heartbeat, and the new one is renewed instead. A lease read after a barrier that is then
     * replaced in turn was replaced by a registration made after this heartbeat began, which restarted the
     * instance's time as a renewal would: after {@value #LEASE_CHANGES} such changes (an instance
     * registered again and again) the heartbeat counts that registration as its renewal and stops chasing.
     */
    public CompletableFuture<Heartbeat> heartbeat(String service, String instanceId) {
        requireNames(service, instanceId);
        String key = RegistryKeys.instanceKey(service, instanceId);
        return renew(service, instanceId, key, NO_LEASE, false, LEASE_CHANGES);
    }

    /**
     * @param refused the lease the leader last said is gone, {@link #NO_LEASE} before any
     * @param caughtUp whether this member has passed a read barrier since the leader refused {@code refused}
     */
    private CompletableFuture<Heartbeat> renew(String service, String instanceId, String key, long refused, boolean caughtUp,
                                               int changesLeft) {
        KeyValue instance = store.get(key);
        long lease = instance == null ? NO_LEASE : instance.lease();
        if (lease == NO_LEASE || lease == refused) {
            return caughtUp ? CompletableFuture.failedFuture(notRegistered(service, instanceId))
                    : raft.readBarrier().thenCompose(ignored -> renew(service, instanceId, key, refused, true, changesLeft));
        }
        Lease granted = changesLeft == 0 ? store.lease(lease) : null;
        if (granted != null) {
            return CompletableFuture.completedFuture(Heartbeat.withWholeTtl(granted.ttlSeconds(), store.revision()));
        }
        return leases.keepAlive(lease).handle((renewed, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(Heartbeat.withWholeTtl(renewed.ttlSeconds(), renewed.revision()));
            }
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (!(cause instanceof NotFoundException) || changesLeft == 0) {
                return CompletableFuture.<Heartbeat>failedFuture(cause instanceof NotFoundException
                        ? notRegistered(service, instanceId) : cause);
            }
            return raft.readBarrier().thenCompose(ignored -> renew(service, instanceId, key, lease, true, changesLeft - 1));
        }).thenCompose(renewed -> renewed);
    }

    /** Changes status, weight or metadata in place, keeping the instance's lease. */
    public CompletableFuture<Registration> patch(String service, String instanceId, InstancePatch patch) {
        requireNames(service, instanceId);
        if (patch.weight() != null) {
            limits.requireWeight(patch.weight());
        }
        if (patch.metadata() != null) {
            limits.requireMetadata(patch.metadata());
        }
        String key = RegistryKeys.instanceKey(service, instanceId);
        return raft.readBarrier().thenCompose(ignored -> patchAt(key, service, instanceId, patch, PATCH_ATTEMPTS));
    }

    private CompletableFuture<Registration> patchAt(String key, String service, String instanceId, InstancePatch patch,
                                                    int attemptsLeft) {
        KeyValue current = store.get(key);
        if (current == null) {
            throw notRegistered(service, instanceId);
        }
        Instance instance = InstanceCodec.decode(current);
        InstanceSpec spec = instance.spec();
        InstanceSpec changed = new InstanceSpec(spec.host(), spec.port(), spec.secure(), spec.ttlSeconds(), spec.zone(),
                patch.weight() == null ? spec.weight() : patch.weight(),
                patch.status() == null ? spec.status() : patch.status(),
                patch.metadata() == null ? spec.metadata() : patch.metadata());
        Put put = new Put(key, InstanceCodec.encode(changed, instance.registeredAtMillis()), current.lease(), current.modRevision());
        return raft.propose(put).thenCompose(result -> {
            if (result instanceof CommandResult.Written written) {
                return CompletableFuture.completedFuture(new Registration(InstanceCodec.decode(written.kv()), false,
                        written.revision()));
            }
            if (result instanceof CommandResult.CompareFailed && attemptsLeft > 1) {
                // Someone changed the instance meanwhile: apply the patch to what is there now.
                return raft.readBarrier().thenCompose(ignored -> patchAt(key, service, instanceId, patch, attemptsLeft - 1));
            }
            throw notRegistered(service, instanceId);
        });
    }

    /** Removes the instance (by revoking its lease, which deletes it); completes with the revision. */
    public CompletableFuture<Long> deregister(String service, String instanceId) {
        requireNames(service, instanceId);
        String key = RegistryKeys.instanceKey(service, instanceId);
        return raft.readBarrier().thenCompose(ignored -> {
            KeyValue current = store.get(key);
            if (current == null) {
                throw notRegistered(service, instanceId);
            }
            return raft.propose(new RevokeLease(current.lease(), false));
        }).thenApply(result -> {
            if (result instanceof CommandResult.LeaseRevoked revoked && revoked.deletedKeys() > 0) {
                return revoked.revision();
            }
            throw notRegistered(service, instanceId);
        });
    }

    /** One instance, and the revision the answer reflects. */
    public record Read(Instance instance, long revision) {
    }

    public CompletableFuture<Read> get(String service, String instanceId, ReadConsistency consistency) {
        requireNames(service, instanceId);
        return raft.readBarrier(consistency).thenApply(ignored -> {
            KeyValue kv = store.get(RegistryKeys.instanceKey(service, instanceId));
            if (kv == null) {
                throw notRegistered(service, instanceId);
            }
            Instance instance = InstanceCodec.decode(kv);
            return new Read(instance, Math.max(instance.modRevision(), store.revision()));
        });
    }

    public CompletableFuture<Lookup> lookup(String service, InstanceQuery query, ReadConsistency consistency) {
        limits.requireName("service", service);
        return raft.readBarrier(consistency).thenApply(ignored -> lookupLocally(service, query));
    }

    /**
     * A blocking query (Consul's contract): answers as soon as the service changes after
     * {@code afterRevision}, or when {@code wait} ends, with the instances at that moment.
     */
    public CompletableFuture<Lookup> awaitLookup(String service, InstanceQuery query, ReadConsistency consistency,
                                                 long afterRevision, Duration wait) {
        limits.requireName("service", service);
        return hub.nextChange(RegistryKeys.servicePrefix(service), afterRevision)
                .completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS)
                .thenCompose(changed -> raft.readBarrier(consistency))
                .thenApply(ignored -> lookupLocally(service, query));
    }

    /**
     * The time left on each instance's lease of {@code service}, from the leader's lease clock, in one
     * round trip for the whole service: what a console counts down between two readings.
     */
    public CompletableFuture<ServiceLeases> leases(String service, ReadConsistency consistency) {
        limits.requireName("service", service);
        return raft.readBarrier(consistency).thenCompose(ignored -> {
            Lookup lookup = lookupLocally(service, InstanceQuery.all());
            List<Long> ids = lookup.instances().stream().map(Instance::leaseId).distinct().toList();
            return leases.remainingMillis(ids).thenApply(remaining -> {
                Map<String, Long> byInstance = new LinkedHashMap<>();
                for (Instance instance : lookup.instances()) {
                    Long millis = remaining.get(instance.leaseId());
                    if (millis != null) {
                        byInstance.put(instance.instanceId(), millis);
                    }
                }
                return new ServiceLeases(service, byInstance, lookup.revision());
            });
        });
    }

    private Lookup lookupLocally(String service, InstanceQuery query) {
        RangeResult range = store.range(RegistryKeys.servicePrefix(service), 0);
        List<Instance> instances = new ArrayList<>(range.kvs().size());
        for (KeyValue kv : range.kvs()) {
            Instance instance = InstanceCodec.decode(kv);
            if (query.matches(instance)) {
                instances.add(instance);
            }
        }
        return new Lookup(service, instances, range.revision());
    }

    public CompletableFuture<ServiceList> services(ReadConsistency consistency) {
        return raft.readBarrier(consistency).thenApply(ignored -> {
            RangeResult range = store.range(RegistryKeys.PREFIX, 0);
            Map<String, int[]> counts = new LinkedHashMap<>();
            for (KeyValue kv : range.kvs()) {
                int[] count = counts.computeIfAbsent(RegistryKeys.serviceOf(kv.key()), name -> new int[2]);
                count[0]++;
                if (InstanceCodec.decode(kv).spec().status() == InstanceStatus.UP) {
                    count[1]++;
                }
            }
            List<ServiceSummary> services = new ArrayList<>(counts.size());
            counts.forEach((name, count) -> services.add(new ServiceSummary(name, count[0], count[1])));
            return new ServiceList(services, range.revision());
        });
    }

    public record ServiceList(List<ServiceSummary> services, long revision) {
    }

    private void requireNames(String service, String instanceId) {
        limits.requireName("service", service);
        limits.requireName("instanceId", instanceId);
    }

    private NotFoundException notRegistered(String service, String instanceId) {
        return new NotFoundException("instance '" + instanceId + "' of service '" + service
                + "' is not registered (it expired or was deregistered); register it again", store.revision());
    }
}
