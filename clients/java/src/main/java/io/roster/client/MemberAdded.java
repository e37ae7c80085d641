package io.roster.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A member added to the table, and the settings to start it with.
 *
 * @param env the same settings as environment variables (ROSTER_NAME, ROSTER_INITIAL_CLUSTER, …)
 */
public record MemberAdded(Member member, String initialCluster, String initialClusterState, Map<String, String> env) {

    public MemberAdded {
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env)); // in the order the server gave them
    }
}
