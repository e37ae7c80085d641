package io.roster.store;

import java.util.List;

/**
 * Told, on the thread that applies commands and in log order, what each command changed. Listeners
 * must hand work off rather than block: a slow listener stalls replication.
 */
public interface StoreListener {

    default void onKeyEvents(List<KeyEvent> events) {
    }

    default void onLeaseGranted(Lease lease) {
    }

    default void onLeaseRemoved(long leaseId) {
    }

    /** A member was removed from the cluster (it may be this member). */
    default void onMemberRemoved(long memberId) {
    }

    /** An access-control record was written or removed. */
    default void onAuthChanged() {
    }

    /** The whole state was replaced from a snapshot; anything derived from it must be rebuilt. */
    default void onReset() {
    }
}
