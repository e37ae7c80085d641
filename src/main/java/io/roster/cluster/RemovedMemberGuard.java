package io.roster.cluster;

import io.roster.identity.MemberIds;
import io.roster.identity.NodeIdentity;
import io.roster.store.StoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices when this member is removed from the cluster: from then on it serves no client requests
 * (the API answers 410 with what to do) and its health is DOWN, and the log says why.
 */
public final class RemovedMemberGuard implements StoreListener {

    private static final Logger log = LoggerFactory.getLogger(RemovedMemberGuard.class);

    private final NodeIdentity identity;
    private volatile boolean removed;

    public RemovedMemberGuard(NodeIdentity identity) {
        this.identity = identity;
    }

    @Override
    public void onMemberRemoved(long memberId) {
        if (memberId == identity.memberId() && !removed) {
            removed = true;
            log.error("This member ({}, {}) was removed from the cluster: it no longer serves requests. To rejoin, stop it,"
                    + " wipe its data dir {}, add it again (rosterctl member add) and start it with"
                    + " initial-cluster-state=existing", identity.name(), MemberIds.hex(memberId), identity.dataDir());
        }
    }

    public boolean removed() {
        return removed;
    }

    public String explanation() {
        return "this member (" + identity.name() + ", " + MemberIds.hex(identity.memberId()) + ") was removed from the"
                + " cluster; send requests to another member. To rejoin, wipe its data dir, add it again"
                + " (rosterctl member add) and start it with initial-cluster-state=existing";
    }
}
