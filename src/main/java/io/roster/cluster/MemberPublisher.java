package io.roster.cluster;

import io.roster.raft.RaftNode;
import io.roster.store.Member;
import io.roster.store.RosterStore;
import io.roster.store.command.PublishMember;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Once the node runs, records its name and addresses in the replicated member table (as etcd members
 * publish their attributes), retrying until the cluster accepts it.
 */
public final class MemberPublisher {

    private static final Logger log = LoggerFactory.getLogger(MemberPublisher.class);

    private final RaftNode raft;
    private final RosterStore store;
    private final Member self;
    private final ScheduledExecutorService scheduler;

    public MemberPublisher(RaftNode raft, RosterStore store, Member self, ScheduledExecutorService scheduler) {
        this.raft = raft;
        this.store = store;
        this.self = self;
        this.scheduler = scheduler;
    }

    public void publish() {
        if (scheduler.isShutdown()) {
            return;
        }
        boolean current = store.members().stream().anyMatch(self::equals);
        if (current) {
            return;
        }
        raft.propose(new PublishMember(self)).whenComplete((result, error) -> {
            if (error == null) {
                log.info("Published member {} ({}) with client URLs {}", self.name(), io.roster.identity.MemberIds.hex(self.id()),
                        self.clientUrls());
            } else if (!scheduler.isShutdown()) {
                log.debug("Publishing member attributes failed, retrying: {}", error.getMessage());
                scheduler.schedule(this::publish, 1, TimeUnit.SECONDS);
            }
        });
    }
}
