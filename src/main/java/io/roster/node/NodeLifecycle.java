package io.roster.node;

import io.roster.cluster.MemberPublisher;
import io.roster.cluster.MembershipReconciler;
import io.roster.config.RosterProperties;
import io.roster.lease.LeaseKeeper;
import io.roster.raft.RaftNode;
import org.springframework.context.SmartLifecycle;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Starts Raft once every listener is registered (so no leadership change is missed): {@link NodeConfiguration}
 * starts it when it creates this bean, before the HTTP port opens, and Spring does not start a running
 * lifecycle again. Stops it after the HTTP server has drained.
 */
class NodeLifecycle implements SmartLifecycle {

    /** Lower than the web server's phase: started before it, stopped after it. */
    static final int PHASE = 0;
    private static final long LEASE_TICK_MILLIS = 100;

    private final RaftNode raft;
    private final LeaseKeeper keeper;
    private final MemberPublisher publisher;
    private final MembershipReconciler reconciler;
    private final ScheduledExecutorService scheduler;
    private final RosterProperties properties;
    private volatile boolean running;

    NodeLifecycle(RaftNode raft, LeaseKeeper keeper, MemberPublisher publisher, MembershipReconciler reconciler,
                  ScheduledExecutorService scheduler, RosterProperties properties) {
        this.raft = raft;
        this.keeper = keeper;
        this.publisher = publisher;
        this.reconciler = reconciler;
        this.scheduler = scheduler;
        this.properties = properties;
    }

    @Override
    public void start() {
        raft.addLeadershipListener(new LeaderDuties(scheduler, List.of(
                new LeaderDuties.Duty(keeper::tick, LEASE_TICK_MILLIS),
                new LeaderDuties.Duty(reconciler::reconcile, properties.membership().reconcileInterval().toMillis()))));
        raft.start();
        if (properties.forceNewCluster()) {
            // ClusterJoin has checked that no quorum of the old cluster is reachable.
            raft.resetToSelf();
        }
        scheduler.execute(publisher::publish);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        scheduler.shutdownNow();
        raft.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
