package io.roster.store;

import java.util.List;

/**
 * An immutable copy of everything the store replicates: what a snapshot holds.
 *
 * @param removedMemberIds members removed from the cluster, which may never rejoin under the same id
 * @param authRecords users, roles and access-control settings, by name
 */
public record StoreState(long revision, List<KeyValue> keys, List<Lease> leases, List<Member> members,
                         List<Long> removedMemberIds, List<AuthRecord> authRecords) {

    public StoreState {
        keys = List.copyOf(keys);
        leases = List.copyOf(leases);
        members = List.copyOf(members);
        removedMemberIds = List.copyOf(removedMemberIds);
        authRecords = List.copyOf(authRecords);
    }

    public StoreState(long revision, List<KeyValue> keys, List<Lease> leases, List<Member> members) {
        this(revision, keys, leases, members, List.of(), List.of());
    }
}
