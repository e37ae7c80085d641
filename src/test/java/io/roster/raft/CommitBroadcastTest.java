package io.roster.raft;

import io.roster.client.Consistency;
import io.roster.client.NotFoundException;
import io.roster.client.RosterClient;
import io.roster.testing.cluster.ApplicationCluster;
import io.roster.testing.cluster.TestMember;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * A lone write reaches the followers' stores (and so their watches and serializable reads) right after
 * the leader answered it, not with the leader's next heartbeat.
 */
class CommitBroadcastTest {

    /** Heartbeats every 2 s (a fifth of it): long enough to tell a pushed commit from one a heartbeat carried. */
    private static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Half the heartbeat interval: a write that waited for the heartbeat meets it half the time, so all of
     * {@link #LONE_WRITES} do in about 1 run of 64.
     */
    private static final Duration PROMPTLY = Duration.ofSeconds(1);
    private static final int LONE_WRITES = 6;

    private ApplicationCluster cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aLoneWriteReachesEveryFollowerLongBeforeTheNextHeartbeat() {
        cluster = ApplicationCluster.start(3, ELECTION_TIMEOUT, Map.of());
        List<RosterClient> followers = new ArrayList<>();
        try (RosterClient leader = cluster.leader().client()) {
            for (TestMember follower : cluster.followers()) {
                followers.add(follower.client());
            }
            for (int i = 0; i < LONE_WRITES; i++) {
                String key = "lone/" + i;
                long revision = leader.put(key, "v" + i).revision();
                for (RosterClient follower : followers) {
                    await("write " + i + " on a follower, without waiting for a heartbeat").atMost(PROMPTLY)
                            .pollInterval(Duration.ofMillis(5))
                            .ignoreException(NotFoundException.class)
                            .until(() -> follower.get(key, Consistency.SERIALIZABLE).kv().modRevision() == revision);
                }
            }
        } finally {
            followers.forEach(RosterClient::close);
        }
    }
}
