package io.roster.store;

import io.roster.store.command.AddMember;
import io.roster.store.command.CheckpointLeases;
import io.roster.store.command.Command;
import io.roster.store.command.CommandResult;
import io.roster.store.command.Delete;
import io.roster.store.command.GrantAndPut;
import io.roster.store.command.GrantLease;
import io.roster.store.command.PublishMember;
import io.roster.store.command.Noop;
import io.roster.store.command.PromoteMember;
import io.roster.store.command.PutAuthRecord;
import io.roster.store.command.Put;
import io.roster.store.command.RemoveMember;
import io.roster.store.command.RevokeLease;
import io.roster.store.command.UpdateMemberPeers;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The replicated state: a sorted key space with revisions, a lease table and a member table.
 * <p>
 * Deterministic by construction: {@link #apply} reads no clock, draws no random number and does no
 * I/O, so every replica that applies the same commands in the same order reaches the same state.
 * One thread applies; any number read, each read seeing a whole command's effect or none of it.
 */
public final class RosterStore {

    /** The revision of an empty store. Never 0, so that a client blocking on "newer than N" cannot spin. */
    public static final long INITIAL_REVISION = 1;

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final TreeMap<String, KeyValue> keys = new TreeMap<>();
    private final Map<Long, Lease> leases = new HashMap<>();
    private LeaseBindings bindings = new LeaseBindings();
    private final Map<Long, Member> members = new HashMap<>();
    private final java.util.TreeSet<Long> removedMembers = new java.util.TreeSet<>();
    private final TreeMap<String, AuthRecord> authRecords = new TreeMap<>();
    private long authRevision;
    private final List<StoreListener> listeners = new CopyOnWriteArrayList<>();
    private long revision = INITIAL_REVISION;
    /** Leases revoked because their TTL ran out, since this replica started (not part of snapshots). */
    private long expiredLeases;

    public void addListener(StoreListener listener) {
        listeners.add(listener);
    }

    public CommandResult apply(Command command) {
        List<KeyEvent> events = new ArrayList<>();
        List<Runnable> notifications = new ArrayList<>();
        CommandResult result;
        lock.writeLock().lock();
        try {
            result = dispatch(command, events, notifications);
        } finally {
            lock.writeLock().unlock();
        }
        if (!events.isEmpty()) {
            List<KeyEvent> published = List.copyOf(events);
            listeners.forEach(listener -> listener.onKeyEvents(published));
        }
        notifications.forEach(Runnable::run);
        return result;
    }

    // Java 17 has no pattern-matching switch; Command is sealed, so this chain is complete.
    private CommandResult dispatch(Command command, List<KeyEvent> events, List<Runnable> notifications) {
        if (command instanceof Put put) {
            return put(put, events);
        } else if (command instanceof Delete delete) {
            return delete(delete, events);
        } else if (command instanceof GrantLease grant) {
            return grant(grant, notifications);
        } else if (command instanceof RevokeLease revoke) {
            return revoke(revoke, events, notifications);
        } else if (command instanceof CheckpointLeases checkpoint) {
            return checkpoint(checkpoint);
        } else if (command instanceof PublishMember publish) {
            return publish(publish);
        } else if (command instanceof GrantAndPut grantAndPut) {
            return grantAndPut(grantAndPut, events, notifications);
        } else if (command instanceof AddMember add) {
            return addMember(add);
        } else if (command instanceof RemoveMember remove) {
            return removeMember(remove, notifications);
        } else if (command instanceof UpdateMemberPeers update) {
            return updateMemberPeers(update);
        } else if (command instanceof PromoteMember promote) {
            return promoteMember(promote);
        } else if (command instanceof Noop) {
            return new CommandResult.Done(revision);
        } else if (command instanceof PutAuthRecord record) {
            return putAuthRecord(record, notifications);
        }
        throw new IllegalStateException("unhandled command " + command.getClass().getName());
    }

    private CommandResult put(Put put, List<KeyEvent> events) {
        KeyValue previous = keys.get(put.key());
        if (put.prevRevision() != Command.NO_COMPARE && !matches(previous, put.prevRevision())) {
            return new CommandResult.CompareFailed(previous, revision);
        }
        if (put.lease() != 0 && !leases.containsKey(put.lease())) {
            return new CommandResult.LeaseNotFound(put.lease(), revision);
        }
        long next = revision + 1;
        KeyValue kv = previous == null
                ? new KeyValue(put.key(), put.value(), next, next, 1, put.lease())
                : new KeyValue(put.key(), put.value(), previous.createRevision(), next, previous.version() + 1, put.lease());
        if (previous != null && previous.lease() != 0 && previous.lease() != put.lease()) {
            unbind(previous.lease(), put.key());
        }
        if (put.lease() != 0) {
            bindings.bind(put.lease(), put.key());
        }
        keys.put(put.key(), kv);
        revision = next;
        events.add(new KeyEvent(KeyEvent.Type.PUT, kv, previous, next, KeyEvent.Cause.REQUEST));
        return new CommandResult.Written(kv, previous, next);
    }

    private static boolean matches(KeyValue current, long expectedRevision) {
        return current == null ? expectedRevision == 0 : current.modRevision() == expectedRevision;
    }

    private CommandResult delete(Delete delete, List<KeyEvent> events) {
        List<String> doomed;
        if (delete.prefix()) {
            doomed = new ArrayList<>(prefixView(delete.key()).keySet());
        } else {
            KeyValue current = keys.get(delete.key());
            if (delete.prevRevision() != Command.NO_COMPARE && !matches(current, delete.prevRevision())) {
                return new CommandResult.CompareFailed(current, revision);
            }
            doomed = current == null ? List.of() : List.of(delete.key());
        }
        List<KeyValue> removed = removeKeys(doomed, KeyEvent.Cause.REQUEST, events);
        return new CommandResult.Deleted(removed, revision);
    }

    /** Removes the keys at one new revision, or changes nothing (not even the revision) when there are none. */
    private List<KeyValue> removeKeys(Collection<String> doomed, KeyEvent.Cause cause, List<KeyEvent> events) {
        if (doomed.isEmpty()) {
            return List.of();
        }
        long next = revision + 1;
        List<KeyValue> removed = new ArrayList<>(doomed.size());
        for (String key : doomed) {
            KeyValue previous = keys.remove(key);
            if (previous.lease() != 0 && cause == KeyEvent.Cause.REQUEST) {
                unbind(previous.lease(), key);
            }
            removed.add(previous);
            events.add(new KeyEvent(KeyEvent.Type.DELETE, previous.deletedAt(next), previous, next, cause));
        }
        revision = next;
        return removed;
    }

    private void unbind(long leaseId, String key) {
        bindings.unbind(leaseId, key);
    }

    private CommandResult grant(GrantLease grant, List<Runnable> notifications) {
        if (leases.containsKey(grant.id())) {
            return new CommandResult.LeaseAlreadyExists(grant.id(), revision);
        }
        Lease lease = new Lease(grant.id(), grant.ttlSeconds(), Lease.NO_CHECKPOINT);
        leases.put(lease.id(), lease);
        notifications.add(() -> listeners.forEach(listener -> listener.onLeaseGranted(lease)));
        return new CommandResult.LeaseGranted(lease.id(), lease.ttlSeconds(), revision);
    }

    private CommandResult grantAndPut(GrantAndPut command, List<KeyEvent> events, List<Runnable> notifications) {
        if (leases.containsKey(command.leaseId())) {
            return new CommandResult.LeaseAlreadyExists(command.leaseId(), revision);
        }
        grant(new GrantLease(command.leaseId(), command.ttlSeconds()), notifications);
        KeyValue previous = keys.get(command.key());
        CommandResult written = put(new Put(command.key(), command.value(), command.leaseId(), Command.NO_COMPARE), events);
        if (previous != null && previous.lease() != 0 && !bindings.holdsKeys(previous.lease())
                && leases.remove(previous.lease()) != null) {
            long retired = previous.lease();
            notifications.add(() -> listeners.forEach(listener -> listener.onLeaseRemoved(retired)));
        }
        return written;
    }

    private CommandResult revoke(RevokeLease revoke, List<KeyEvent> events, List<Runnable> notifications) {
        if (leases.remove(revoke.id()) == null) {
            return new CommandResult.LeaseNotFound(revoke.id(), revision);
        }
        KeyEvent.Cause cause = revoke.expired() ? KeyEvent.Cause.LEASE_EXPIRED : KeyEvent.Cause.LEASE_REVOKED;
        if (revoke.expired()) {
            expiredLeases++;
        }
        // In key order, whatever order they were bound in, so that every replica (including one restored
        // from a snapshot) emits the same events in the same order.
        List<KeyValue> removed = removeKeys(bindings.release(revoke.id()), cause, events);
        notifications.add(() -> listeners.forEach(listener -> listener.onLeaseRemoved(revoke.id())));
        return new CommandResult.LeaseRevoked(revoke.id(), removed.size(), revision);
    }

    private CommandResult checkpoint(CheckpointLeases checkpoint) {
        for (CheckpointLeases.Checkpoint each : checkpoint.checkpoints()) {
            leases.computeIfPresent(each.leaseId(), (id, lease) -> lease.withCheckpoint(each.remainingMillis()));
        }
        return new CommandResult.Done(revision);
    }

    private CommandResult publish(PublishMember publish) {
        Member announced = publish.member();
        if (removedMembers.contains(announced.id())) {
            return new CommandResult.Rejected("member " + announced.name() + " was removed from the cluster", revision);
        }
        Member recorded = members.get(announced.id());
        members.put(announced.id(), recorded == null ? announced
                : new Member(announced.id(), announced.name(), recorded.peerUrls(), announced.clientUrls(), recorded.learner()));
        return new CommandResult.Done(revision);
    }

    private CommandResult addMember(AddMember add) {
        Member member = add.member();
        if (members.containsKey(member.id()) || removedMembers.contains(member.id())) {
            return new CommandResult.Rejected("member id " + Long.toHexString(member.id()) + " is already taken", revision);
        }
        String taken = peerUrlInUse(member.peerUrls(), member.id());
        if (taken != null) {
            return new CommandResult.Rejected(taken, revision);
        }
        members.put(member.id(), member);
        return new CommandResult.Done(revision);
    }

    private CommandResult removeMember(RemoveMember remove, List<Runnable> notifications) {
        if (members.remove(remove.id()) == null) {
            return new CommandResult.Rejected("no member has id " + Long.toHexString(remove.id()), revision);
        }
        removedMembers.add(remove.id());
        notifications.add(() -> listeners.forEach(listener -> listener.onMemberRemoved(remove.id())));
        return new CommandResult.Done(revision);
    }

    private CommandResult updateMemberPeers(UpdateMemberPeers update) {
        Member member = members.get(update.id());
        if (member == null) {
            return new CommandResult.Rejected("no member has id " + Long.toHexString(update.id()), revision);
        }
        String taken = peerUrlInUse(update.peerUrls(), update.id());
        if (taken != null) {
            return new CommandResult.Rejected(taken, revision);
        }
        members.put(member.id(), new Member(member.id(), member.name(), update.peerUrls(), member.clientUrls(), member.learner()));
        return new CommandResult.Done(revision);
    }

    private CommandResult promoteMember(PromoteMember promote) {
        Member member = members.get(promote.id());
        if (member == null) {
            return new CommandResult.Rejected("no member has id " + Long.toHexString(promote.id()), revision);
        }
        members.put(member.id(), new Member(member.id(), member.name(), member.peerUrls(), member.clientUrls(), false));
        return new CommandResult.Done(revision);
    }

    /** Which other member already uses one of these peer URLs, as a refusal, or null. */
    private String peerUrlInUse(List<String> peerUrls, long exceptId) {
        for (Member other : members.values()) {
            if (other.id() != exceptId) {
                for (String url : peerUrls) {
                    if (other.peerUrls().contains(url)) {
                        return "peer URL " + url + " is already used by member " + Long.toHexString(other.id());
                    }
                }
            }
        }
        return null;
    }

    private NavigableMap<String, KeyValue> prefixView(String prefix) {
        if (prefix.isEmpty()) {
            return keys;
        }
        // The smallest string greater than every string that starts with the prefix: drop trailing
        // MAX_VALUE chars (they cannot be incremented), then increment the last remaining char.
        int kept = prefix.length();
        while (kept > 0 && prefix.charAt(kept - 1) == Character.MAX_VALUE) {
            kept--;
        }
        if (kept == 0) {
            return keys.tailMap(prefix, true);
        }
        String end = prefix.substring(0, kept - 1) + (char) (prefix.charAt(kept - 1) + 1);
        return keys.subMap(prefix, true, end, false);
    }

    private CommandResult putAuthRecord(PutAuthRecord put, List<Runnable> notifications) {
        AuthRecord current = authRecords.get(put.name());
        long expected = put.expectedRevision();
        if (expected != Command.NO_COMPARE && (current == null ? expected != 0 : current.modRevision() != expected)) {
            return new CommandResult.Rejected("'" + put.name() + "' changed since it was read; read it again and retry", revision);
        }
        authRevision++;
        if (put.value() == null) {
            authRecords.remove(put.name());
        } else {
            authRecords.put(put.name(), new AuthRecord(put.name(), put.value(), authRevision));
        }
        notifications.add(() -> listeners.forEach(StoreListener::onAuthChanged));
        return new CommandResult.Done(revision);
    }

    // ---- reads: each takes the read lock, so it sees whole commands only ----

    public long revision() {
        lock.readLock().lock();
        try {
            return revision;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The key, or null when absent. */
    public KeyValue get(String key) {
        lock.readLock().lock();
        try {
            return keys.get(key);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Keys starting with {@code prefix} in key order, at most {@code limit} of them (0 = no limit). */
    public RangeResult range(String prefix, int limit) {
        lock.readLock().lock();
        try {
            NavigableMap<String, KeyValue> view = prefixView(prefix);
            int count = view.size();
            int take = limit > 0 ? Math.min(limit, count) : count;
            List<KeyValue> kvs = new ArrayList<>(take);
            for (KeyValue kv : view.values()) {
                if (kvs.size() == take) {
                    break;
                }
                kvs.add(kv);
            }
            return new RangeResult(kvs, count, revision);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The lease, or null when it does not exist (never granted, expired or revoked). */
    public Lease lease(long id) {
        lock.readLock().lock();
        try {
            return leases.get(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    public List<String> keysOfLease(long id) {
        lock.readLock().lock();
        try {
            return bindings.keysOf(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    public List<Lease> leases() {
        lock.readLock().lock();
        try {
            return List.copyOf(leases.values());
        } finally {
            lock.readLock().unlock();
        }
    }

    public List<Member> members() {
        lock.readLock().lock();
        try {
            return members.values().stream().sorted(Comparator.comparing(Member::name)).toList();
        } finally {
            lock.readLock().unlock();
        }
    }

    public boolean isRemovedMember(long id) {
        lock.readLock().lock();
        try {
            return removedMembers.contains(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    public List<Long> removedMemberIds() {
        lock.readLock().lock();
        try {
            return List.copyOf(removedMembers);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The access-control record, or null when absent. */
    public AuthRecord authRecord(String name) {
        lock.readLock().lock();
        try {
            return authRecords.get(name);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Access-control records whose names start with {@code prefix}, in name order. */
    public List<AuthRecord> authRecords(String prefix) {
        lock.readLock().lock();
        try {
            return authRecords.tailMap(prefix, true).values().stream()
                    .takeWhile(record -> record.name().startsWith(prefix)).toList();
        } finally {
            lock.readLock().unlock();
        }
    }

    public int keyCount() {
        lock.readLock().lock();
        try {
            return keys.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    public long expiredLeaseCount() {
        lock.readLock().lock();
        try {
            return expiredLeases;
        } finally {
            lock.readLock().unlock();
        }
    }

    public int leaseCount() {
        lock.readLock().lock();
        try {
            return leases.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---- snapshots ----

    public StoreState state() {
        lock.readLock().lock();
        try {
            List<Lease> leaseList = new ArrayList<>(leases.values());
            leaseList.sort(Comparator.comparingLong(Lease::id));
            List<Member> memberList = new ArrayList<>(members.values());
            memberList.sort(Comparator.comparingLong(Member::id));
            return new StoreState(revision, new ArrayList<>(keys.values()), leaseList, memberList, new ArrayList<>(removedMembers),
                    authRevision, new ArrayList<>(authRecords.values()));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Replaces everything with the given state, as when a snapshot is installed. */
    public void restore(StoreState state) {
        // Build and check the new state first: a refused snapshot must leave the current state untouched.
        Map<Long, Lease> newLeases = new HashMap<>();
        state.leases().forEach(lease -> newLeases.put(lease.id(), lease));
        TreeMap<String, KeyValue> newKeys = new TreeMap<>();
        LeaseBindings newBindings = new LeaseBindings();
        for (KeyValue kv : state.keys()) {
            newKeys.put(kv.key(), kv);
            if (kv.lease() != 0) {
                if (!newLeases.containsKey(kv.lease())) {
                    throw new CorruptEntryException("snapshot key " + kv.key() + " is bound to missing lease " + kv.lease());
                }
                newBindings.bind(kv.lease(), kv.key());
            }
        }
        lock.writeLock().lock();
        try {
            keys.clear();
            keys.putAll(newKeys);
            leases.clear();
            leases.putAll(newLeases);
            bindings = newBindings;
            members.clear();
            state.members().forEach(member -> members.put(member.id(), member));
            removedMembers.clear();
            removedMembers.addAll(state.removedMemberIds());
            authRecords.clear();
            state.authRecords().forEach(record -> authRecords.put(record.name(), record));
            authRevision = state.authRevision();
            revision = state.revision();
        } finally {
            lock.writeLock().unlock();
        }
        listeners.forEach(StoreListener::onReset);
    }
}
