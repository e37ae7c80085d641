package io.roster.cli;

import io.roster.client.DeleteResult;
import io.roster.client.Heartbeat;
import io.roster.client.Instance;
import io.roster.client.InstanceWrite;
import io.roster.client.KeyEvent;
import io.roster.client.KeyValue;
import io.roster.client.KeyValueResult;
import io.roster.client.Lease;
import io.roster.client.LeaseInfo;
import io.roster.client.LeaseRevoked;
import io.roster.client.Lookup;
import io.roster.client.Member;
import io.roster.client.MemberAdded;
import io.roster.client.MemberList;
import io.roster.client.MemberRemoved;
import io.roster.client.RangeResult;
import io.roster.client.RegistryEvent;
import io.roster.client.ServiceList;
import io.roster.client.Status;
import io.roster.client.internal.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * The client's answers as the JSON the server sent, field for field and in its order, for {@code -w json} and
 * for {@link Formats}: rosterctl prints what the API says, and its output did not change when it moved onto
 * the typed client. Fields the server leaves out (a key's lease when it has none, an instance's zone) are
 * left out here too.
 */
final class JsonViews {

    private JsonViews() {
    }

    static ObjectNode of(KeyValueResult result) {
        return kv(result.kv()).put("revision", result.revision());
    }

    static ObjectNode of(RangeResult range) {
        ObjectNode json = Json.object();
        ArrayNode kvs = json.putArray("kvs");
        range.kvs().forEach(kv -> kvs.add(kv(kv)));
        return json.put("count", range.count()).put("more", range.more()).put("revision", range.revision());
    }

    static ObjectNode of(DeleteResult deleted) {
        return Json.object().put("deleted", deleted.deleted()).put("revision", deleted.revision());
    }

    /** A watch event: value, createRevision, version and lease only on a PUT (and only when the server sent them). */
    static ObjectNode of(KeyEvent event) {
        ObjectNode json = Json.object().put("type", event.type().name()).put("key", event.key());
        if (event.value() != null) {
            json.put("value", event.value());
        }
        putIfSent(json, "createRevision", event.createRevision());
        putIfSent(json, "version", event.version());
        if (event.lease() != null) {
            json.put("lease", event.lease());
        }
        json.put("modRevision", event.modRevision()).put("revision", event.revision());
        if (event.cause() != null) {
            json.put("cause", event.cause());
        }
        return json;
    }

    static ObjectNode of(Lease lease) {
        return Json.object().put("id", lease.id()).put("ttlSeconds", lease.ttlSeconds());
    }

    static ObjectNode of(LeaseInfo lease) {
        ObjectNode json = Json.object().put("id", lease.id()).put("ttlSeconds", lease.ttlSeconds())
                .put("remainingSeconds", lease.remainingSeconds()).put("remainingMillis", lease.remainingMillis());
        ArrayNode keys = json.putArray("keys");
        lease.keys().forEach(keys::add);
        return json;
    }

    static ObjectNode of(LeaseRevoked revoked) {
        return Json.object().put("id", revoked.id()).put("deletedKeys", revoked.deletedKeys()).put("revision", revoked.revision());
    }

    static ObjectNode of(InstanceWrite write) {
        return instance(write.instance()).put("revision", write.revision());
    }

    static ObjectNode instance(Instance instance) {
        ObjectNode json = Json.object().put("service", instance.service()).put("instanceId", instance.instanceId())
                .put("host", instance.host()).put("port", instance.port()).put("secure", instance.secure());
        if (instance.zone() != null) {
            json.put("zone", instance.zone());
        }
        json.put("weight", instance.weight()).put("status", instance.status().name());
        putMap(json, "metadata", instance.metadata());
        return json.put("leaseId", instance.leaseId()).put("ttlSeconds", instance.ttlSeconds())
                .put("createRevision", instance.createRevision()).put("modRevision", instance.modRevision());
    }

    static ObjectNode of(Heartbeat heartbeat) {
        return Json.object().put("ttlSeconds", heartbeat.ttlSeconds()).put("remainingSeconds", heartbeat.remainingSeconds());
    }

    static ObjectNode of(ServiceList list) {
        ObjectNode json = Json.object();
        ArrayNode services = json.putArray("services");
        list.services().forEach(service -> services.addObject().put("name", service.name())
                .put("instances", service.instances()).put("up", service.up()));
        return json.put("revision", list.revision());
    }

    static ObjectNode of(Lookup lookup) {
        ObjectNode json = Json.object().put("service", lookup.service());
        ArrayNode instances = json.putArray("instances");
        lookup.instances().forEach(instance -> instances.add(instance(instance)));
        return json.put("revision", lookup.revision());
    }

    static ObjectNode of(RegistryEvent event) {
        ObjectNode json = Json.object().put("type", event.type().name()).put("service", event.service())
                .put("instanceId", event.instanceId());
        if (event.instance() != null) {
            json.set("instance", instance(event.instance()));
        }
        json.put("revision", event.revision());
        if (event.reason() != null) {
            json.put("reason", event.reason());
        }
        return json;
    }

    static ObjectNode member(Member member) {
        ObjectNode json = Json.object().put("id", member.id()).put("name", member.name());
        putList(json, "peerUrls", member.peerUrls());
        putList(json, "clientUrls", member.clientUrls());
        return json.put("isLeader", member.isLeader()).put("isLearner", member.isLearner()).put("status", member.status());
    }

    static ArrayNode members(List<Member> members) {
        ArrayNode array = Json.array();
        members.forEach(member -> array.add(member(member)));
        return array;
    }

    static ObjectNode of(MemberList list) {
        ObjectNode json = Json.object();
        json.set("members", members(list.members()));
        return json.put("revision", list.revision());
    }

    static ObjectNode of(MemberAdded added) {
        ObjectNode json = Json.object();
        json.set("member", member(added.member()));
        json.put("initialCluster", added.initialCluster()).put("initialClusterState", added.initialClusterState());
        putMap(json, "env", added.env());
        return json;
    }

    /** The answer to a member update or promotion: {@code {"member":{…}}}. */
    static ObjectNode changed(Member member) {
        ObjectNode json = Json.object();
        json.set("member", member(member));
        return json;
    }

    static ObjectNode of(MemberRemoved removed) {
        ObjectNode json = Json.object();
        json.set("removed", member(removed.removed()));
        json.set("members", members(removed.members()));
        return json;
    }

    static ObjectNode of(Status status) {
        ObjectNode json = Json.object().put("version", status.version()).put("clusterId", status.clusterId())
                .put("memberId", status.memberId()).put("name", status.name());
        if (status.leader() == null) {
            json.putNull("leader");
        } else {
            json.put("leader", status.leader());
        }
        boolean saysRole = status.role() != null; // members from before role and commit index say neither
        if (saysRole) {
            json.put("role", status.role());
        }
        json.put("raftTerm", status.raftTerm()).put("raftIndex", status.raftIndex());
        if (saysRole) {
            json.put("commitIndex", status.commitIndex());
        }
        return json.put("appliedIndex", status.appliedIndex()).put("revision", status.revision())
                .put("dbSizeBytes", status.dbSizeBytes());
    }

    private static ObjectNode kv(KeyValue kv) {
        ObjectNode json = Json.object().put("key", kv.key()).put("value", kv.value())
                .put("createRevision", kv.createRevision()).put("modRevision", kv.modRevision()).put("version", kv.version());
        if (kv.lease() != null) {
            json.put("lease", kv.lease());
        }
        return json;
    }

    /** 0 is never a revision or a version of a stored key: the server did not send the field. */
    private static void putIfSent(ObjectNode json, String field, long value) {
        if (value != 0) {
            json.put(field, value);
        }
    }

    private static void putList(ObjectNode json, String field, List<String> values) {
        ArrayNode array = json.putArray(field);
        values.forEach(array::add);
    }

    private static void putMap(ObjectNode json, String field, Map<String, String> values) {
        ObjectNode object = json.putObject(field);
        values.forEach(object::put);
    }
}
