package io.roster.store;

import java.util.List;

/**
 * An immutable copy of everything the store replicates: what a snapshot holds.
 *
 * @param removedMemberIds members removed from the cluster, which may never rejoin under the same id
 */
public record StoreState(long revision, List<KeyValue> keys, List<Lease> leases, List<Member> members,
                         List<Long> removedMemberIds) {

    public StoreState {
        keys = List.copyOf(keys);
        leases = List.copyOf(leases);
        members = List.copyOf(members);
        removedMemberIds = List.copyOf(removedMemberIds);
    }

    public StoreState(long revision, List<KeyValue> keys, List<Lease> leases, List<Member> members) {
        this(revision, keys, leases, members, List.of());
    }
}
