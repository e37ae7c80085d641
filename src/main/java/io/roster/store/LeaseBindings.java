package io.roster.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which keys each lease holds. Almost every lease (a service instance's) holds exactly one key, so a
 * single key is stored as the key itself and only leases with several keys get a set: about 50 bytes
 * per instance instead of 200. Keys come back in key order, the order every replica deletes them in.
 */
final class LeaseBindings {

    private final Map<Long, Object> keysByLease = new HashMap<>();

    void bind(long leaseId, String key) {
        keysByLease.merge(leaseId, key, (existing, added) -> {
            if (existing instanceof String single) {
                if (single.equals(added)) {
                    return single;
                }
                TreeSet<String> keys = new TreeSet<>();
                keys.add(single);
                keys.add((String) added);
                return keys;
            }
            asSet(existing).add((String) added);
            return existing;
        });
    }

    void unbind(long leaseId, String key) {
        keysByLease.computeIfPresent(leaseId, (id, existing) -> {
            if (existing instanceof String single) {
                return single.equals(key) ? null : single;
            }
            TreeSet<String> keys = asSet(existing);
            keys.remove(key);
            return keys.size() == 1 ? keys.first() : keys;
        });
    }

    /** Removes the lease's bindings and returns its keys in key order. */
    List<String> release(long leaseId) {
        return keysOf(keysByLease.remove(leaseId));
    }

    List<String> keysOf(long leaseId) {
        return keysOf(keysByLease.get(leaseId));
    }

    boolean holdsKeys(long leaseId) {
        return keysByLease.containsKey(leaseId);
    }

    private static List<String> keysOf(Object bound) {
        if (bound == null) {
            return List.of();
        }
        return bound instanceof String single ? List.of(single) : List.copyOf(asSet(bound));
    }

    @SuppressWarnings("unchecked")
    private static TreeSet<String> asSet(Object bound) {
        return (TreeSet<String>) bound;
    }
}
