package io.roster.process;

import io.roster.testing.EventStream;
import io.roster.testing.RosterHttp;
import io.roster.testing.RosterProcess;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** The registry calls a service's client makes, for the process tests: one HTTP request each, nothing retried. */
final class RegistryRequests {

    private RegistryRequests() {
    }

    static String instancePath(String service, String instanceId) {
        return "/v1/services/" + service + "/instances/" + instanceId;
    }

    /** {@code PUT /v1/services/{service}/instances/{id}}: 201 new, 200 replaced. */
    static RosterHttp.Reply register(RosterHttp client, String service, String instanceId, long ttlSeconds, int port)
            {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("host", "10.0.0." + (1 + Math.floorMod(instanceId.hashCode(), 250)));
        body.put("port", port);
        body.put("ttlSeconds", ttlSeconds);
        return client.request("PUT", instancePath(service, instanceId), body);
    }

    /** {@code PUT .../{id}/heartbeat}: 200 renewed, 404 expired or removed. */
    static RosterHttp.Reply heartbeat(RosterHttp client, String service, String instanceId) {
        return client.request("PUT", instancePath(service, instanceId) + "/heartbeat", null);
    }

    /** {@code PATCH .../{id}} with status, weight or metadata. */
    static RosterHttp.Reply patch(RosterHttp client, String service, String instanceId, Map<String, Object> changes)
            {
        return client.request("PATCH", instancePath(service, instanceId), changes);
    }

    /** {@code DELETE .../{id}}: 204 with the revision in {@code X-Roster-Revision}. */
    static RosterHttp.Reply deregister(RosterHttp client, String service, String instanceId) {
        return client.request("DELETE", instancePath(service, instanceId), null);
    }

    /** {@code GET /v1/services/{service}/instances[?consistency=...]}; null consistency is the server's default. */
    static RosterHttp.Reply lookup(RosterHttp client, String service, String consistency) {
        return client.request("GET", "/v1/services/" + service + "/instances"
                + (consistency == null ? "" : "?consistency=" + consistency), null);
    }

    /** The instance ids a lookup answer lists, in its order. */
    static Set<String> instanceIds(RosterHttp.Reply lookup) {
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode instance : lookup.json().path("instances")) {
            ids.add(instance.path("instanceId").asString(""));
        }
        return ids;
    }

    /** Opens the SSE watch of one service (or every service when null) on {@code member}, from now or after {@code revision}. */
    static EventStream watch(RosterProcess member, String service, Long revision) {
        return member.client().events("/v1/watch/services" + (service == null ? "" : "/" + service)
                + (revision == null ? "" : "?revision=" + revision));
    }

    static long millisSince(long startNanos, long nanos) {
        return (nanos - startNanos) / 1_000_000;
    }
}
