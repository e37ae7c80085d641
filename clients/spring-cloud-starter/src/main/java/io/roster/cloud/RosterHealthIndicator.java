package io.roster.cloud;

import io.roster.client.ClusterUnavailableException;
import io.roster.client.RosterClient;
import io.roster.client.Status;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP when a Roster member answers, with what a person checks first: which member answered, the leader, the
 * term and the revision; DOWN with every endpoint tried and why it failed.
 */
class RosterHealthIndicator extends AbstractHealthIndicator {

    private final RosterClient client;

    RosterHealthIndicator(RosterClient client) {
        super("Roster health check failed");
        this.client = client;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        try {
            Status status = client.status();
            builder.up().withDetail("endpoints", client.endpoints()).withDetail("member", status.name())
                    .withDetail("memberId", status.memberId()).withDetail("leader", String.valueOf(status.leader()))
                    .withDetail("raftTerm", status.raftTerm()).withDetail("revision", status.revision())
                    .withDetail("version", status.version());
        } catch (ClusterUnavailableException e) {
            builder.down().withDetail("endpoints", client.endpoints()).withDetail("error", e.getMessage());
        }
    }
}
