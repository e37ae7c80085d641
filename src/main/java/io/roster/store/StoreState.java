package io.roster.store;

import java.util.List;

/**
 * An immutable copy of everything the store replicates: what a snapshot holds.
 *
 * @param removedMemberIds members removed from the cluster, which may never rejoin under the same id
 * @param authRevision counts changes to the auth records (not key revisions: those count key changes only)
 * @param authRecords users, roles and access-control settings, by name
 */
public record StoreState(long revision, List<KeyValue> keys, List<Lease> leases, List<Member> members,
                         List<Long> removedMemberIds, long authRevision, List<AuthRecord> authRecords) {

    public StoreState {
        keys = List.copyOf(keys);
        leases = List.copyOf(leases);
        members = List.copyOf(members);
        removedMemberIds = List.copyOf(removedMemberIds);
        authRecords = List.copyOf(authRecords);
    }

    public StoreState(long revision, List<KeyValue> keys, List<Lease> leases, List<Member> members) {
        this(revision, keys, leases, members, List.of(), 0, List.of());
    }
}
