package io.roster.cli;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** How results look in the simple and table formats: pure functions of the server's JSON. */
final class Formats {

    private Formats() {
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "" : value.asString("");
    }

    static String joined(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (JsonNode value : array) {
            values.add(value.asString(""));
        }
        return String.join(",", values);
    }

    // ---- members ----

    /**
     * A member as etcdctl v2's {@code member list} prints it:
     * {@code <id>: name=<name> peerURLs=<urls> clientURLs=<urls> isLeader=true|false}; an unstarted member as
     * {@code <id>[unstarted]: peerURLs=<urls>}. A learner gets {@code isLearner=true} appended (etcd v2 had none).
     */
    static String memberLine(JsonNode member) {
        String id = text(member, "id");
        String name = text(member, "name");
        String peers = joined(member.path("peerUrls"));
        if (name.isEmpty() || "unstarted".equals(text(member, "status"))) {
            return id + "[unstarted]: peerURLs=" + peers;
        }
        return id + ": name=" + name + " peerURLs=" + peers + " clientURLs=" + joined(member.path("clientUrls"))
                + " isLeader=" + member.path("isLeader").asBoolean(false)
                + (member.path("isLearner").asBoolean(false) ? " isLearner=true" : "");
    }

    static Table memberTable(JsonNode members) {
        Table table = new Table("ID", "STATUS", "NAME", "PEER ADDRS", "CLIENT ADDRS", "IS LEARNER", "IS LEADER");
        for (JsonNode member : members) {
            table.row(text(member, "id"), text(member, "status"), text(member, "name"), joined(member.path("peerUrls")),
                    joined(member.path("clientUrls")), member.path("isLearner").asBoolean(false),
                    member.path("isLeader").asBoolean(false));
        }
        return table;
    }

    /** etcdctl's {@code member add} advice: the settings the new member must start with, as shell assignments. */
    static List<String> memberAddLines(JsonNode answer, String clusterId) {
        List<String> lines = new ArrayList<>();
        JsonNode member = answer.path("member");
        lines.add("Member " + text(member, "id") + " added to cluster" + (clusterId == null ? "" : " " + clusterId));
        lines.add("");
        JsonNode env = answer.path("env");
        if (env.isObject() && !env.isEmpty()) {
            for (Map.Entry<String, JsonNode> entry : env.properties()) {
                lines.add(entry.getKey() + "=\"" + entry.getValue().asString("") + "\"");
            }
        } else {
            lines.add("ROSTER_NAME=\"" + text(member, "name") + "\"");
            lines.add("ROSTER_INITIAL_CLUSTER=\"" + text(answer, "initialCluster") + "\"");
            lines.add("ROSTER_INITIAL_CLUSTER_STATE=\"" + (text(answer, "initialClusterState").isEmpty()
                    ? "existing" : text(answer, "initialClusterState")) + "\"");
        }
        return lines;
    }

    // ---- endpoints ----

    /** etcdctl's endpoint status line: endpoint, id, name, version, db size, is leader, leader, term, index, applied, revision. */
    static String endpointStatusLine(String endpoint, JsonNode status) {
        return String.join(", ", endpoint, text(status, "memberId"), text(status, "name"), text(status, "version"),
                humanBytes(status.path("dbSizeBytes").asLong(0)), Boolean.toString(isLeader(status)), text(status, "leader"),
                status.path("raftTerm").asString(""), status.path("raftIndex").asString(""),
                status.path("appliedIndex").asString(""), status.path("revision").asString(""));
    }

    static Table endpointStatusTable() {
        return new Table("ENDPOINT", "ID", "NAME", "VERSION", "DB SIZE", "IS LEADER", "LEADER", "RAFT TERM", "RAFT INDEX",
                "RAFT APPLIED INDEX", "REVISION", "ERRORS");
    }

    static void endpointStatusRow(Table table, String endpoint, JsonNode status, String error) {
        if (status == null) {
            table.row(endpoint, "", "", "", "", "", "", "", "", "", "", error);
            return;
        }
        table.row(endpoint, text(status, "memberId"), text(status, "name"), text(status, "version"),
                humanBytes(status.path("dbSizeBytes").asLong(0)), isLeader(status), text(status, "leader"),
                status.path("raftTerm").asString(""), status.path("raftIndex").asString(""),
                status.path("appliedIndex").asString(""), status.path("revision").asString(""), "");
    }

    static boolean isLeader(JsonNode status) {
        String member = text(status, "memberId");
        return !member.isEmpty() && member.equals(text(status, "leader"));
    }

    /** A health answer's reason in a few words: the raft role and term when UP, the reason when not. */
    static String healthSummary(JsonNode health) {
        JsonNode raft = health.path("components").path("raft");
        JsonNode details = raft.path("details");
        String status = text(health, "status");
        if ("UP".equals(status)) {
            return details.isMissingNode() ? "UP" : "raft " + text(details, "role") + ", term " + details.path("term").asString("")
                    + ", applied index " + details.path("appliedIndex").asString("");
        }
        List<String> reasons = new ArrayList<>();
        JsonNode components = health.path("components");
        for (Map.Entry<String, JsonNode> component : components.properties()) {
            String componentStatus = text(component.getValue(), "status");
            if (!"UP".equals(componentStatus)) {
                String why = text(component.getValue().path("details"), "reason");
                if (why.isEmpty()) {
                    why = text(component.getValue().path("details"), "failure");
                }
                reasons.add(component.getKey() + " " + componentStatus + (why.isEmpty() ? "" : ": " + why));
            }
        }
        return status.isEmpty() ? "no health status" : status + (reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")");
    }

    /** 1234567 → {@code 1.2 MB}, as etcdctl prints db sizes (decimal units). */
    static String humanBytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return (value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value))
                + " " + units[unit];
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1fms", nanos / 1_000_000.0);
    }

    // ---- key-value ----

    /** etcdctl's get: the key on one line, the value on the next. */
    static List<String> kvLines(JsonNode kv) {
        return List.of(text(kv, "key"), text(kv, "value"));
    }

    static Table kvTable() {
        return new Table("KEY", "VALUE", "CREATE REVISION", "MOD REVISION", "VERSION", "LEASE");
    }

    static void kvRow(Table table, JsonNode kv) {
        table.row(text(kv, "key"), text(kv, "value"), kv.path("createRevision").asString(""),
                kv.path("modRevision").asString(""), kv.path("version").asString(""), text(kv, "lease"));
    }

    /** etcdctl's watch: the type, the key, and (on PUT) the value, one per line. */
    static List<String> kvEventLines(JsonNode event) {
        String type = text(event, "type");
        if ("PUT".equals(type)) {
            return List.of(type, text(event, "key"), text(event, "value"));
        }
        return List.of(type, text(event, "key"));
    }

    // ---- leases ----

    static String leaseGranted(JsonNode lease) {
        return "lease " + text(lease, "id") + " granted with TTL(" + lease.path("ttlSeconds").asString("") + "s)";
    }

    static String leaseKeptAlive(JsonNode lease) {
        return "lease " + text(lease, "id") + " keepalived with TTL(" + lease.path("ttlSeconds").asString("") + ")";
    }

    static String leaseRevoked(JsonNode revoked) {
        return "lease " + text(revoked, "id") + " revoked";
    }

    /** etcdctl's timetolive: {@code lease ID granted with TTL(10s), remaining(8s)[, attached keys([a b])]}. */
    static String leaseTimeToLive(JsonNode lease, boolean keys) {
        String line = "lease " + text(lease, "id") + " granted with TTL(" + lease.path("ttlSeconds").asString("")
                + "s), remaining(" + lease.path("remainingSeconds").asString("") + "s)";
        if (keys) {
            List<String> attached = new ArrayList<>();
            lease.path("keys").forEach(key -> attached.add(key.asString("")));
            line += ", attached keys([" + String.join(" ", attached) + "])";
        }
        return line;
    }

    // ---- service registry ----

    static String address(JsonNode instance) {
        String host = text(instance, "host");
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + instance.path("port").asString("");
    }

    static String metadata(JsonNode instance) {
        JsonNode metadata = instance.path("metadata");
        if (!metadata.isObject()) {
            return "";
        }
        // sorted: the server keeps no order, and a line should not change between two identical answers
        return metadata.properties().stream().sorted(Map.Entry.comparingByKey())
                .map(entry -> entry.getKey() + "=" + entry.getValue().asString(""))
                .collect(Collectors.joining(","));
    }

    /** {@code web-1 10.1.2.3:8080 UP zone=eu-1a weight=100 metadata=team=a,version=1.4.2 lease=… ttl=30s} (metadata by key). */
    static String instanceLine(JsonNode instance) {
        StringBuilder line = new StringBuilder(text(instance, "instanceId")).append(' ').append(address(instance))
                .append(' ').append(text(instance, "status"));
        if (instance.path("secure").asBoolean(false)) {
            line.append(" secure");
        }
        if (!text(instance, "zone").isEmpty()) {
            line.append(" zone=").append(text(instance, "zone"));
        }
        line.append(" weight=").append(instance.path("weight").asString(""));
        String metadata = metadata(instance);
        if (!metadata.isEmpty()) {
            line.append(" metadata=").append(metadata);
        }
        line.append(" lease=").append(text(instance, "leaseId")).append(" ttl=").append(instance.path("ttlSeconds").asString(""))
                .append('s');
        return line.toString();
    }

    static Table instanceTable() {
        return new Table("SERVICE", "INSTANCE", "ADDRESS", "STATUS", "ZONE", "WEIGHT", "METADATA", "LEASE", "TTL");
    }

    static void instanceRow(Table table, JsonNode instance) {
        table.row(text(instance, "service"), text(instance, "instanceId"), address(instance), text(instance, "status"),
                text(instance, "zone"), instance.path("weight").asString(""), metadata(instance), text(instance, "leaseId"),
                instance.path("ttlSeconds").asString("") + "s");
    }

    static String serviceLine(JsonNode service) {
        return text(service, "name") + " instances=" + service.path("instances").asString("") + " up="
                + service.path("up").asString("");
    }

    /** {@code PUT web/web-1 10.1.2.3:8080 UP (registered)} or {@code DELETE web/web-1 (expired)}. */
    static String serviceEventLine(JsonNode event) {
        StringBuilder line = new StringBuilder(text(event, "type")).append(' ').append(text(event, "service")).append('/')
                .append(text(event, "instanceId"));
        JsonNode instance = event.path("instance");
        if (instance.isObject()) {
            line.append(' ').append(address(instance)).append(' ').append(text(instance, "status"));
        }
        return line.append(" (").append(text(event, "reason")).append(')').toString();
    }
}
