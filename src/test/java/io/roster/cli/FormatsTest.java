package io.roster.cli;

import io.roster.client.internal.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The simple and table formats, from the server's JSON. */
class FormatsTest {

    private static JsonNode json(String text) {
        return Json.parse(text);
    }

    @Test
    void memberListLineIsExactlyEtcdctlV2s() {
        JsonNode member = json("""
                {"id":"8e9e05c52164694d","name":"n1","peerUrls":["http://10.0.0.1:2380"],
                 "clientUrls":["http://10.0.0.1:2379","http://127.0.0.1:2379"],"isLeader":true,"isLearner":false,"status":"started"}""");
        assertThat(Formats.memberLine(member)).isEqualTo(
                "8e9e05c52164694d: name=n1 peerURLs=http://10.0.0.1:2380 clientURLs=http://10.0.0.1:2379,http://127.0.0.1:2379 isLeader=true");
    }

    @Test
    void anUnstartedMemberIsListedAsEtcdctlV2DoesAndALearnerSaysSo() {
        assertThat(Formats.memberLine(json("""
                {"id":"0000000000000abc","name":"","peerUrls":["http://10.0.0.4:2380"],"clientUrls":[],"isLeader":false,
                 "isLearner":true,"status":"unstarted"}"""))).isEqualTo("0000000000000abc[unstarted]: peerURLs=http://10.0.0.4:2380");
        assertThat(Formats.memberLine(json("""
                {"id":"0000000000000abc","name":"n4","peerUrls":["http://10.0.0.4:2380"],"clientUrls":["http://10.0.0.4:2379"],
                 "isLeader":false,"isLearner":true,"status":"started"}""")))
                .isEqualTo("0000000000000abc: name=n4 peerURLs=http://10.0.0.4:2380 clientURLs=http://10.0.0.4:2379 isLeader=false isLearner=true");
    }

    @Test
    void memberAddPrintsTheSettingsToStartTheNewMemberWith() {
        JsonNode answer = json("""
                {"member":{"id":"0000000000000abc","name":"n4","peerUrls":["http://10.0.0.4:2380"]},
                 "initialCluster":"n1=http://10.0.0.1:2380,n4=http://10.0.0.4:2380","initialClusterState":"existing",
                 "env":{"ROSTER_NAME":"n4","ROSTER_INITIAL_CLUSTER":"n1=http://10.0.0.1:2380,n4=http://10.0.0.4:2380",
                        "ROSTER_INITIAL_CLUSTER_STATE":"existing"}}""");
        assertThat(Formats.memberAddLines(answer, null)).containsExactly(
                "Member 0000000000000abc added to cluster",
                "",
                "ROSTER_NAME=\"n4\"",
                "ROSTER_INITIAL_CLUSTER=\"n1=http://10.0.0.1:2380,n4=http://10.0.0.4:2380\"",
                "ROSTER_INITIAL_CLUSTER_STATE=\"existing\"");
        // without env, the same from the other fields
        ((tools.jackson.databind.node.ObjectNode) answer).remove("env");
        assertThat(Formats.memberAddLines(answer, "5a1d2c3b4e5f6a7b")).containsExactly(
                "Member 0000000000000abc added to cluster 5a1d2c3b4e5f6a7b",
                "",
                "ROSTER_NAME=\"n4\"",
                "ROSTER_INITIAL_CLUSTER=\"n1=http://10.0.0.1:2380,n4=http://10.0.0.4:2380\"",
                "ROSTER_INITIAL_CLUSTER_STATE=\"existing\"");
    }

    @Test
    void memberTableHasEtcdctlsColumnsAndTheLeader() {
        Table table = Formats.memberTable(json("""
                [{"id":"8e9e05c52164694d","name":"n1","peerUrls":["http://a:2380"],"clientUrls":["http://a:2379"],
                  "isLeader":true,"isLearner":false,"status":"started"}]"""));
        assertThat(table.render()).isEqualTo(String.join(System.lineSeparator(),
                "+------------------+---------+------+---------------+---------------+------------+-----------+",
                "|        ID        | STATUS  | NAME |  PEER ADDRS   | CLIENT ADDRS  | IS LEARNER | IS LEADER |",
                "+------------------+---------+------+---------------+---------------+------------+-----------+",
                "| 8e9e05c52164694d | started | n1   | http://a:2380 | http://a:2379 | false      | true      |",
                "+------------------+---------+------+---------------+---------------+------------+-----------+",
                ""));
    }

    @Test
    void endpointStatusNamesTheLeaderTermIndexesRevisionAndSize() {
        JsonNode status = json("""
                {"version":"0.1.0","clusterId":"5a1d2c3b4e5f6a7b","memberId":"0d1e2f3a4b5c6d7e","name":"n1",
                 "leader":"0d1e2f3a4b5c6d7e","raftTerm":2,"raftIndex":118,"appliedIndex":117,"revision":57,"dbSizeBytes":1048576}""");
        assertThat(Formats.endpointStatusLine("http://127.0.0.1:2379", status)).isEqualTo(
                "http://127.0.0.1:2379, 0d1e2f3a4b5c6d7e, n1, 0.1.0, 1.0 MB, true, 0d1e2f3a4b5c6d7e, 2, 118, 117, 57");
        Table table = Formats.endpointStatusTable();
        Formats.endpointStatusRow(table, "http://127.0.0.1:2379", status, null);
        Formats.endpointStatusRow(table, "http://127.0.0.1:2381", null, "connection refused");
        assertThat(table.rows().get(0)).containsExactly("http://127.0.0.1:2379", "0d1e2f3a4b5c6d7e", "n1", "0.1.0", "1.0 MB",
                "true", "0d1e2f3a4b5c6d7e", "2", "118", "117", "57", "");
        assertThat(table.rows().get(1).get(11)).isEqualTo("connection refused");
    }

    @Test
    void aFollowerIsNotTheLeaderAndANodeWithoutLeaderShowsNone() {
        assertThat(Formats.isLeader(json("{\"memberId\":\"a\",\"leader\":\"b\"}"))).isFalse();
        assertThat(Formats.isLeader(json("{\"memberId\":\"a\",\"leader\":null}"))).isFalse();
        assertThat(Formats.endpointStatusLine("e", json("{\"memberId\":\"a\",\"leader\":null,\"dbSizeBytes\":10}")))
                .isEqualTo("e, a, , , 10 B, false, , , , , ");
    }

    @Test
    void sizesAreInDecimalUnitsAsEtcdctlPrintsThem() {
        assertThat(Formats.humanBytes(0)).isEqualTo("0 B");
        assertThat(Formats.humanBytes(999)).isEqualTo("999 B");
        assertThat(Formats.humanBytes(25_000)).isEqualTo("25.0 kB");
        assertThat(Formats.humanBytes(45_810)).isEqualTo("45.8 kB");
        assertThat(Formats.humanBytes(123_456_789)).isEqualTo("123 MB");
        assertThat(Formats.humanBytes(5_000_000_000L)).isEqualTo("5.0 GB");
    }

    @Test
    void healthSaysTheRoleWhenUpAndTheReasonWhenNot() {
        assertThat(Formats.healthSummary(json("""
                {"status":"UP","components":{"raft":{"status":"UP","details":{"role":"follower","term":3,"appliedIndex":42}}}}""")))
                .isEqualTo("raft follower, term 3, applied index 42");
        assertThat(Formats.healthSummary(json("""
                {"status":"DOWN","components":{"diskSpace":{"status":"UP"},
                 "raft":{"status":"DOWN","details":{"reason":"no leader for 3400 ms","role":"candidate"}}}}""")))
                .isEqualTo("DOWN (raft DOWN: no leader for 3400 ms)");
    }

    @Test
    void getAndWatchPrintLikeEtcdctl() {
        JsonNode kv = json("{\"key\":\"config/db\",\"value\":\"postgres://db\",\"createRevision\":2,\"modRevision\":5,\"version\":3,\"revision\":9}");
        assertThat(Formats.kvLines(kv)).containsExactly("config/db", "postgres://db");
        Table table = Formats.kvTable();
        Formats.kvRow(table, kv);
        assertThat(table.rows().get(0)).containsExactly("config/db", "postgres://db", "2", "5", "3", "");
        assertThat(Formats.kvEventLines(json("{\"type\":\"PUT\",\"key\":\"a\",\"value\":\"1\",\"modRevision\":4,\"revision\":4}")))
                .containsExactly("PUT", "a", "1");
        assertThat(Formats.kvEventLines(json("{\"type\":\"DELETE\",\"key\":\"a\",\"modRevision\":5,\"revision\":5}")))
                .containsExactly("DELETE", "a");
    }

    @Test
    void leasesPrintLikeEtcdctl() {
        assertThat(Formats.leaseGranted(json("{\"id\":\"694d5765fc71500b\",\"ttlSeconds\":10}")))
                .isEqualTo("lease 694d5765fc71500b granted with TTL(10s)");
        assertThat(Formats.leaseKeptAlive(json("{\"id\":\"694d5765fc71500b\",\"ttlSeconds\":10}")))
                .isEqualTo("lease 694d5765fc71500b keepalived with TTL(10)");
        JsonNode lease = json("{\"id\":\"694d5765fc71500b\",\"ttlSeconds\":500,\"remainingSeconds\":498,\"remainingMillis\":497100,"
                + "\"keys\":[\"foo\",\"bar\"]}");
        assertThat(Formats.leaseTimeToLive(lease, false)).isEqualTo("lease 694d5765fc71500b granted with TTL(500s), remaining(498s)");
        assertThat(Formats.leaseTimeToLive(lease, true))
                .isEqualTo("lease 694d5765fc71500b granted with TTL(500s), remaining(498s), attached keys([foo bar])");
        assertThat(Formats.leaseRevoked(json("{\"id\":\"694d5765fc71500b\",\"deletedKeys\":2,\"revision\":7}")))
                .isEqualTo("lease 694d5765fc71500b revoked");
    }

    @Test
    void instancesAndTheirEventsFitOnOneLine() {
        JsonNode instance = json("""
                {"service":"web","instanceId":"web-1","host":"10.1.2.3","port":8080,"secure":false,"zone":"eu-1a","weight":100,
                 "status":"UP","metadata":{"version":"1.4.2","team":"a"},"leaseId":"2a1c7e5b40d3f981","ttlSeconds":30,
                 "createRevision":41,"modRevision":41}""");
        assertThat(Formats.instanceLine(instance))
                .isEqualTo("web-1 10.1.2.3:8080 UP zone=eu-1a weight=100 metadata=team=a,version=1.4.2 lease=2a1c7e5b40d3f981 ttl=30s");
        assertThat(Formats.instanceLine(json("""
                {"instanceId":"db-1","host":"::1","port":5432,"secure":true,"weight":5,"status":"DOWN","metadata":{},
                 "leaseId":"1","ttlSeconds":10}"""))).isEqualTo("db-1 [::1]:5432 DOWN secure weight=5 lease=1 ttl=10s");
        assertThat(Formats.serviceEventLine(json("""
                {"type":"PUT","service":"web","instanceId":"web-1","instance":{"host":"10.1.2.3","port":8080,"status":"UP"},
                 "revision":42,"reason":"registered"}"""))).isEqualTo("PUT web/web-1 10.1.2.3:8080 UP (registered)");
        assertThat(Formats.serviceEventLine(json("{\"type\":\"DELETE\",\"service\":\"web\",\"instanceId\":\"web-1\",\"revision\":43,"
                + "\"reason\":\"expired\"}"))).isEqualTo("DELETE web/web-1 (expired)");
        assertThat(Formats.serviceLine(json("{\"name\":\"web\",\"instances\":3,\"up\":2}"))).isEqualTo("web instances=3 up=2");
    }

    @Test
    void tablesCentreHeadersAndPadCells() {
        Table table = new Table("A", "LONGER").row("x", 1).row("yyyy", null);
        assertThat(table.render()).isEqualTo(String.join(System.lineSeparator(),
                "+------+--------+",
                "|  A   | LONGER |",
                "+------+--------+",
                "| x    | 1      |",
                "| yyyy |        |",
                "+------+--------+",
                ""));
        assertThat(new Table("A").render()).isEqualTo(String.join(System.lineSeparator(), "+---+", "| A |", "+---+", ""));
    }

    @Test
    void jsonIsWrittenCompactlyAndReadBackTheSame() {
        String text = "{\"s\":\"a\\\"b\\n\",\"i\":1,\"l\":12345678901234,\"big\":123456789012345678901234567890,"
                + "\"d\":1.5,\"t\":true,\"f\":false,\"n\":null,\"a\":[1,{\"x\":[]}],\"o\":{}}";
        JsonNode node = Json.parse(text);
        assertThat(Json.write(node)).isEqualTo(text);
        assertThat(node.path("l").asLong()).isEqualTo(12345678901234L);
        assertThat(node.path("i").asString()).isEqualTo("1");
    }
}
