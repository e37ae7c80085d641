package io.roster.client;

import io.roster.client.internal.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The API's JSON, read into the public records and written from them, by hand over Jackson trees: no
 * ObjectMapper, whose start-up would cost rosterctl a good part of its third of a second.
 */
final class Wire {

    private Wire() {
    }

    // ---- reading ----

    static KeyValue keyValue(JsonNode json) {
        return new KeyValue(text(json, "key"), text(json, "value"), json.path("createRevision").asLong(),
                json.path("modRevision").asLong(), json.path("version").asLong(), text(json, "lease"));
    }

    static KeyValueResult keyValueResult(JsonNode json) {
        return new KeyValueResult(keyValue(json), json.path("revision").asLong());
    }

    static RangeResult range(JsonNode json) {
        return new RangeResult(list(json.path("kvs"), Wire::keyValue), json.path("count").asInt(),
                json.path("more").asBoolean(), json.path("revision").asLong());
    }

    static DeleteResult deleted(JsonNode json) {
        return new DeleteResult(json.path("deleted").asInt(), json.path("revision").asLong());
    }

    static Lease lease(JsonNode json) {
        return new Lease(text(json, "id"), json.path("ttlSeconds").asLong());
    }

    static LeaseInfo leaseInfo(JsonNode json) {
        return new LeaseInfo(text(json, "id"), json.path("ttlSeconds").asLong(), json.path("remainingSeconds").asLong(),
                json.path("remainingMillis").asLong(), list(json.path("keys"), JsonNode::asString));
    }

    static LeaseRevoked leaseRevoked(JsonNode json) {
        return new LeaseRevoked(text(json, "id"), json.path("deletedKeys").asInt(), json.path("revision").asLong());
    }

    static Instance instance(JsonNode json) {
        Map<String, String> metadata = new LinkedHashMap<>();
        json.path("metadata").properties().forEach(entry -> metadata.put(entry.getKey(), entry.getValue().asString()));
        return new Instance(text(json, "service"), text(json, "instanceId"), text(json, "host"), json.path("port").asInt(),
                json.path("secure").asBoolean(), text(json, "zone"), json.path("weight").asInt(),
                InstanceStatus.valueOf(json.path("status").asString("UP")), metadata, text(json, "leaseId"),
                json.path("ttlSeconds").asLong(), json.path("createRevision").asLong(), json.path("modRevision").asLong());
    }

    static InstanceWrite instanceWrite(JsonNode json, boolean created) {
        return new InstanceWrite(instance(json), created, json.path("revision").asLong());
    }

    static Heartbeat heartbeat(JsonNode json) {
        return new Heartbeat(json.path("ttlSeconds").asLong(), json.path("remainingSeconds").asLong());
    }

    static Lookup lookup(JsonNode json) {
        return new Lookup(text(json, "service"), list(json.path("instances"), Wire::instance), json.path("revision").asLong());
    }

    static ServiceList services(JsonNode json) {
        return new ServiceList(list(json.path("services"), service -> new ServiceSummary(text(service, "name"),
                service.path("instances").asInt(), service.path("up").asInt())), json.path("revision").asLong());
    }

    static KeyEvent keyEvent(JsonNode json) {
        return new KeyEvent(EventType.valueOf(json.path("type").asString()), text(json, "key"), text(json, "value"),
                json.path("createRevision").asLong(), json.path("modRevision").asLong(), json.path("version").asLong(),
                text(json, "lease"), json.path("revision").asLong(), text(json, "cause"));
    }

    static RegistryEvent registryEvent(JsonNode json) {
        JsonNode instance = json.path("instance");
        return new RegistryEvent(EventType.valueOf(json.path("type").asString()), text(json, "service"),
                text(json, "instanceId"), instance.isObject() ? instance(instance) : null, json.path("revision").asLong(),
                text(json, "reason"));
    }

    static Member member(JsonNode json) {
        return new Member(text(json, "id"), json.path("name").asString(""), list(json.path("peerUrls"), JsonNode::asString),
                list(json.path("clientUrls"), JsonNode::asString), json.path("isLeader").asBoolean(),
                json.path("isLearner").asBoolean(), text(json, "status"));
    }

    static MemberList members(JsonNode json) {
        return new MemberList(list(json.path("members"), Wire::member), json.path("revision").asLong());
    }

    static MemberAdded memberAdded(JsonNode json) {
        Map<String, String> env = new LinkedHashMap<>();
        json.path("env").properties().forEach(entry -> env.put(entry.getKey(), entry.getValue().asString()));
        return new MemberAdded(member(json.path("member")), text(json, "initialCluster"), text(json, "initialClusterState"), env);
    }

    static MemberRemoved memberRemoved(JsonNode json) {
        return new MemberRemoved(member(json.path("removed")), list(json.path("members"), Wire::member));
    }

    static Status status(JsonNode json) {
        return new Status(text(json, "version"), text(json, "clusterId"), text(json, "memberId"), text(json, "name"),
                text(json, "leader"), json.path("raftTerm").asLong(), json.path("raftIndex").asLong(),
                json.path("appliedIndex").asLong(), json.path("revision").asLong(), json.path("dbSizeBytes").asLong(),
                text(json, "role"), json.path("commitIndex").asLong());
    }

    static MemberStatus memberStatus(JsonNode json) {
        JsonNode status = json.path("status");
        return new MemberStatus(text(json, "memberId"), json.path("name").asString(""), list(json.path("peerUrls"), JsonNode::asString),
                list(json.path("clientUrls"), JsonNode::asString), json.path("isLearner").asBoolean(),
                json.path("reachable").asBoolean(), status.isObject() ? status(status) : null, text(json, "error"));
    }

    static ClusterStatus clusterStatus(JsonNode json) {
        return new ClusterStatus(text(json, "askedBy"), json.path("revision").asLong(), list(json.path("members"), Wire::memberStatus));
    }

    static Problem problem(int status, JsonNode json) {
        return new Problem(status, text(json, "title"), text(json, "detail"), text(json, "field"), text(json, "limit"));
    }

    // ---- writing ----

    static ObjectNode put(PutRequest put) {
        ObjectNode body = Json.object().put("value", put.value());
        if (put.lease() != null) {
            body.put("lease", put.lease());
        }
        if (put.prevRevision() != null) {
            body.put("prevRevision", put.prevRevision());
        }
        return body;
    }

    static ObjectNode registration(InstanceSpec spec) {
        ObjectNode body = Json.object().put("host", spec.host()).put("port", spec.port());
        if (spec.secure() != null) {
            body.put("secure", spec.secure());
        }
        if (spec.ttlSeconds() != null) {
            body.put("ttlSeconds", spec.ttlSeconds());
        }
        if (spec.zone() != null) {
            body.put("zone", spec.zone());
        }
        if (spec.weight() != null) {
            body.put("weight", spec.weight());
        }
        if (spec.status() != null) {
            body.put("status", spec.status().name());
        }
        if (spec.metadata() != null) {
            putMap(body, "metadata", spec.metadata());
        }
        return body;
    }

    static ObjectNode patch(InstancePatch patch) {
        ObjectNode body = Json.object();
        if (patch.status() != null) {
            body.put("status", patch.status().name());
        }
        if (patch.weight() != null) {
            body.put("weight", patch.weight());
        }
        if (patch.metadata() != null) {
            putMap(body, "metadata", patch.metadata());
        }
        return body;
    }

    private static void putMap(ObjectNode body, String name, Map<String, String> map) {
        ObjectNode object = body.putObject(name);
        map.forEach(object::put);
    }

    // ---- helpers ----

    /** A string field, or null when absent or JSON null. */
    static String text(JsonNode json, String field) {
        JsonNode value = json.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asString();
    }

    private static <T> List<T> list(JsonNode array, Function<JsonNode, T> element) {
        List<T> list = new ArrayList<>();
        array.forEach(item -> list.add(element.apply(item)));
        return list;
    }
}
