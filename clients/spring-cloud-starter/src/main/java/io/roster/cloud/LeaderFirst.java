package io.roster.cloud;

import io.roster.client.Member;
import io.roster.client.RosterClient;
import io.roster.client.RosterException;

import java.util.ArrayList;
import java.util.List;

/**
 * The configured endpoints with the leader's first. A watch streams from one member, and a follower applies
 * a change only once the leader's next Raft heartbeat tells it the change committed (about 100 ms at the
 * default 1 s election timeout); streaming from the leader removes that wait. Only the order changes: when the
 * leader is unknown, unreachable, or not among the configured endpoints, the order stays as configured.
 */
public final class LeaderFirst {

    private LeaderFirst() {
    }

    public static List<String> endpoints(RosterClient client) {
        List<String> configured = client.endpoints();
        try {
            for (Member member : client.members().members()) {
                if (member.isLeader()) {
                    List<String> ordered = new ArrayList<>();
                    configured.stream().filter(member.clientUrls()::contains).forEach(ordered::add);
                    configured.stream().filter(url -> !ordered.contains(url)).forEach(ordered::add);
                    return ordered;
                }
            }
        } catch (RosterException e) {
            // the watch copes with any member, and with none yet
        }
        return configured;
    }
}
