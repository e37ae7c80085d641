package io.roster.store;

import java.util.List;

/** An immutable copy of everything the store replicates: what a snapshot holds. */
public record StoreState(long revision, List<KeyValue> keys, List<Lease> leases, List<Member> members) {

    public StoreState {
        keys = List.copyOf(keys);
        leases = List.copyOf(leases);
        members = List.copyOf(members);
    }
}
