package io.roster.client;

import java.util.Map;

/**
 * Which instances a lookup returns. Null means no filter; every metadata entry must match.
 */
public record LookupQuery(InstanceStatus status, String zone, Map<String, String> metadata, Consistency consistency) {

    private static final LookupQuery ALL = new LookupQuery(null, null, Map.of(), null);

    public LookupQuery {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public static LookupQuery all() {
        return ALL;
    }

    /** Only UP instances: those to send traffic to. */
    public static LookupQuery up() {
        return ALL.withStatus(InstanceStatus.UP);
    }

    public LookupQuery withStatus(InstanceStatus status) {
        return new LookupQuery(status, zone, metadata, consistency);
    }

    public LookupQuery withZone(String zone) {
        return new LookupQuery(status, zone, metadata, consistency);
    }

    public LookupQuery withMetadata(Map<String, String> metadata) {
        return new LookupQuery(status, zone, metadata, consistency);
    }

    public LookupQuery withConsistency(Consistency consistency) {
        return new LookupQuery(status, zone, metadata, consistency);
    }
}
