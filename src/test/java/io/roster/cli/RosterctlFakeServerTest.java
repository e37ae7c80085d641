package io.roster.cli;

import io.roster.client.internal.Json;
import io.roster.testing.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * rosterctl against stand-in members ({@link FakeRoster}) that answer what each test needs: fail-over between
 * endpoints, the server's JSON passed through, error answers and their exit codes, the membership commands
 * (against the /v1/members contract), and watches that break and resume.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RosterctlFakeServerTest {

    private static final String KV = "{\"key\":\"k\",\"value\":\"v\",\"createRevision\":2,\"modRevision\":3,\"version\":2,\"revision\":9}";

    private FakeRoster a;
    private FakeRoster b;

    @BeforeEach
    void start() {
        a = new FakeRoster();
        b = new FakeRoster();
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private String both() {
        return a.url() + "," + b.url();
    }

    @Nested
    class FailOver {

        @Test
        void a503GoesToTheNextEndpointAndTheAnswerIsTheServersJson() {
            a.on("GET", "/v1/kv/k", (exchange, request) -> FakeRoster.reply(exchange, 503, "application/problem+json",
                    "{\"title\":\"Cluster unavailable\",\"status\":503,\"detail\":\"no leader\",\"mayHaveApplied\":false}"));
            b.json("GET", "/v1/kv/k", 200, KV);
            Cli.Result result = Cli.run("--endpoints", both(), "get", "k", "-w", "json");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).isEqualTo(KV + System.lineSeparator());
            assertThat(a.requests).hasSize(1);
            assertThat(b.requests).hasSize(1);
        }

        @Test
        void aMemberRemovedFromTheClusterIsSkipped() {
            a.on("GET", "/v1/kv/k", (exchange, request) -> FakeRoster.reply(exchange, 410, "application/problem+json",
                    "{\"title\":\"Member removed\",\"status\":410,\"detail\":\"this member (n2) was removed from the cluster\"}"));
            b.json("GET", "/v1/kv/k", 200, KV);
            Cli.Result result = Cli.run("--endpoints", both(), "get", "k");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            Cli.Result alone = Cli.run("--endpoints", a.url(), "get", "k");
            assertThat(alone.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(alone.err()).isEqualTo("Error: no endpoint answered: " + a.url() + " (410 removed from the cluster)"
                    + System.lineSeparator());
        }

        @Test
        void anUnreachableEndpointIsSkipped() {
            b.json("GET", "/v1/kv/k", 200, KV);
            Cli.Result result = Cli.run("--endpoints", "http://127.0.0.1:" + FreePorts.next() + "," + b.url(), "get", "k");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.lines()).containsExactly("k", "v");
        }

        @Test
        void whenEveryEndpointAnswers503TheErrorSaysWhatEachSaid() {
            a.problem("GET", "/v1/kv/k", 503, "no leader");
            b.problem("GET", "/v1/kv/k", 503, "timed out waiting for a quorum");
            Cli.Result result = Cli.run("--endpoints", both(), "get", "k");
            assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(result.err()).isEqualTo("Error: no endpoint answered: " + a.url() + " (503 no leader), " + b.url()
                    + " (503 timed out waiting for a quorum)" + System.lineSeparator());
        }

        @Test
        void aGrantThatMayHaveBeenAppliedIsNotSentAgain() {
            a.on("POST", "/v1/leases", (exchange, request) -> FakeRoster.reply(exchange, 503, "application/problem+json",
                    "{\"status\":503,\"detail\":\"timed out\",\"mayHaveApplied\":true}"));
            b.json("POST", "/v1/leases", 201, "{\"id\":\"00000000000000aa\",\"ttlSeconds\":10}");
            Cli.Result result = Cli.run("--endpoints", both(), "lease", "grant", "10");
            assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(result.err()).contains("(503 timed out)").contains("not sent to another endpoint");
            assertThat(b.requests).isEmpty();
        }

        @Test
        void aGrantRefusedBeforeItWasProposedGoesToTheNextEndpoint() {
            a.on("POST", "/v1/leases", (exchange, request) -> FakeRoster.reply(exchange, 503, "application/problem+json",
                    "{\"status\":503,\"detail\":\"no leader\",\"mayHaveApplied\":false}"));
            b.json("POST", "/v1/leases", 201, "{\"id\":\"00000000000000aa\",\"ttlSeconds\":10}");
            Cli.Result result = Cli.run("--endpoints", both(), "lease", "grant", "10");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).isEqualTo("lease 00000000000000aa granted with TTL(10s)" + System.lineSeparator());
            assertThat(b.requests("POST", "/v1/leases").get(0).body()).isEqualTo("{\"ttlSeconds\":10}");
        }
    }

    @Nested
    class Answers {

        @Test
        void errorsGoToStderrWithTheServersDetailAndAnExitCodeByKind() {
            a.problem("GET", "/v1/kv/missing", 404, "key 'missing' not found");
            a.problem("PUT", "/v1/kv/k", 409, "compare failed for key 'k'");
            a.problem("DELETE", "/v1/kv/k", 400, "bad");
            a.on("GET", "/v1/kv/boom", (exchange, request) -> FakeRoster.reply(exchange, 500, "text/html", "<h1>oops</h1>"));

            Cli.Result notFound = Cli.run("--endpoints", a.url(), "get", "missing");
            assertThat(notFound.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
            assertThat(notFound.out()).isEmpty();
            assertThat(notFound.err()).isEqualTo("Error: key 'missing' not found" + System.lineSeparator());
            assertThat(Cli.run("--endpoints", a.url(), "put", "k", "v", "--prev-revision", "3").exitCode())
                    .isEqualTo(ExitCodes.CONFLICT);
            assertThat(Cli.run("--endpoints", a.url(), "del", "k").exitCode()).isEqualTo(ExitCodes.ERROR);
            Cli.Result html = Cli.run("--endpoints", a.url(), "get", "boom");
            assertThat(html.exitCode()).isEqualTo(ExitCodes.ERROR);
            assertThat(html.err()).isEqualTo("Error: HTTP 500: <h1>oops</h1>" + System.lineSeparator());
        }

        @Test
        void anApiTheServerDoesNotHaveIsSaidPlainly() {
            Cli.Result result = Cli.run("--endpoints", a.url(), "member", "list");
            assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
            assertThat(result.err()).isEqualTo("Error: " + a.url() + " does not serve v1/members (a server version without this API?)"
                    + System.lineSeparator());
        }

        @Test
        void keysArePercentEncodedPartByPartAndOptionsBecomeTheQuery() {
            a.json("GET", "/v1/kv/a%20b/c%3Fd%26e", 200, KV);
            a.json("PUT", "/v1/kv/a%20b/c%3Fd%26e", 200, KV);
            assertThat(Cli.run("--endpoints", a.url(), "get", "a b/c?d&e", "--prefix", "--limit", "5", "--consistency", "s")
                    .exitCode()).isZero();
            assertThat(a.requests.get(0).query()).isEqualTo("prefix=true&limit=5&consistency=serializable");
            assertThat(Cli.run("--endpoints", a.url(), "put", "a b/c?d&e", "v\"1", "--lease", "00000000000000aa",
                    "--prev-revision", "0").out()).isEqualTo("OK" + System.lineSeparator());
            assertThat(a.requests.get(1).body()).isEqualTo("{\"value\":\"v\\\"1\",\"lease\":\"00000000000000aa\",\"prevRevision\":0}");
        }

        @Test
        void aPrefixGetPrintsEveryKeyThenItsValueOrJustOneOfThem() {
            a.json("GET", "/v1/kv/p", 200, "{\"kvs\":[{\"key\":\"p/1\",\"value\":\"one\"},{\"key\":\"p/2\",\"value\":\"two\"}],"
                    + "\"count\":2,\"more\":false,\"revision\":4}");
            assertThat(Cli.run("--endpoints", a.url(), "get", "p", "--prefix").lines()).containsExactly("p/1", "one", "p/2", "two");
            assertThat(Cli.run("--endpoints", a.url(), "get", "p", "--prefix", "--keys-only").lines()).containsExactly("p/1", "p/2");
            assertThat(Cli.run("--endpoints", a.url(), "get", "p", "--prefix", "--print-value-only").lines())
                    .containsExactly("one", "two");
            assertThat(Cli.run("--endpoints", a.url(), "get", "p", "--prefix", "-w", "table").lines()).hasSize(6);
        }

        @Test
        void snapshotSaveWritesTheBodyAndNamesItsRevision(@TempDir Path dir) throws Exception {
            byte[] body = {'R', 'O', 'S', 'T', 'E', 'R', 0, 1, 2, (byte) 255};
            a.on("GET", "/v1/snapshot", (exchange, request) -> FakeRoster.reply(exchange, 200, "application/octet-stream", body,
                    Map.of("X-Roster-Revision", "42")));
            Path file = dir.resolve("backups/one.snap");
            Cli.Result result = Cli.run("--endpoints", a.url(), "snapshot", "save", file.toString());
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(Files.readAllBytes(file)).isEqualTo(body);
            assertThat(result.out()).isEqualTo("Snapshot saved at " + file + " (revision 42, 10 B)" + System.lineSeparator());
            assertThat(Files.exists(dir.resolve("backups/one.snap.part"))).isFalse();
            assertThat(Json.parse(Cli.run("--endpoints", a.url(), "snapshot", "save", file.toString(), "-w", "json").out())
                    .path("revision").asLong()).isEqualTo(42);
        }
    }

    @Nested
    class Members {

        private static final String N1 = "8e9e05c52164694d";
        private static final String N2 = "91bc3c398fb3c146";
        private static final String LIST = "{\"members\":["
                + "{\"id\":\"" + N1 + "\",\"name\":\"n1\",\"peerUrls\":[\"http://10.0.0.1:2380\"],\"clientUrls\":[\"http://10.0.0.1:2379\"],"
                + "\"isLeader\":true,\"isLearner\":false,\"status\":\"started\"},"
                + "{\"id\":\"" + N2 + "\",\"name\":\"n2\",\"peerUrls\":[\"http://10.0.0.2:2380\"],\"clientUrls\":[\"http://10.0.0.2:2379\"],"
                + "\"isLeader\":false,\"isLearner\":false,\"status\":\"started\"}],\"revision\":7}";

        @BeforeEach
        void members() {
            a.json("GET", "/v1/members", 200, LIST);
        }

        @Test
        void listIsEtcdctlV2sFormatOrTheServersJsonOrATable() {
            Cli.Result simple = Cli.run("--endpoints", a.url(), "member", "list");
            assertThat(simple.exitCode()).isZero();
            assertThat(simple.lines()).containsExactly(
                    N1 + ": name=n1 peerURLs=http://10.0.0.1:2380 clientURLs=http://10.0.0.1:2379 isLeader=true",
                    N2 + ": name=n2 peerURLs=http://10.0.0.2:2380 clientURLs=http://10.0.0.2:2379 isLeader=false");
            assertThat(Cli.run("--endpoints", a.url(), "member", "list", "-w", "json").out()).isEqualTo(LIST + System.lineSeparator());
            assertThat(Cli.run("--endpoints", a.url(), "member", "list", "-w", "table").lines()).hasSize(6)
                    .anySatisfy(line -> assertThat(line).contains("| " + N2 + " | started | n2   |"));
        }

        @Test
        void addSendsTheContractsBodyAndPrintsHowToStartTheMember() {
            a.json("POST", "/v1/members", 201, "{\"member\":{\"id\":\"00000000000000c4\",\"name\":\"n4\","
                    + "\"peerUrls\":[\"http://10.0.0.4:2380\"],\"clientUrls\":[],\"isLeader\":false,\"isLearner\":true,"
                    + "\"status\":\"unstarted\"},\"initialCluster\":\"n1=http://10.0.0.1:2380,n4=http://10.0.0.4:2380\","
                    + "\"initialClusterState\":\"existing\",\"env\":{\"ROSTER_NAME\":\"n4\","
                    + "\"ROSTER_INITIAL_CLUSTER\":\"n1=http://10.0.0.1:2380,n4=http://10.0.0.4:2380\","
                    + "\"ROSTER_INITIAL_CLUSTER_STATE\":\"existing\"}}");
            a.json("GET", "/v1/status", 200, "{\"clusterId\":\"5a1d2c3b4e5f6a7b\",\"memberId\":\"" + N1 + "\"}");
            Cli.Result result = Cli.run("--endpoints", a.url(), "member", "add", "n4", "--peer-urls=http://10.0.0.4:2380", "--learner");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.lines()).containsExactly("Member 00000000000000c4 added to cluster 5a1d2c3b4e5f6a7b", "",
                    "ROSTER_NAME=\"n4\"", "ROSTER_INITIAL_CLUSTER=\"n1=http://10.0.0.1:2380,n4=http://10.0.0.4:2380\"",
                    "ROSTER_INITIAL_CLUSTER_STATE=\"existing\"");
            assertThat(a.requests("POST", "/v1/members").get(0).body())
                    .isEqualTo("{\"name\":\"n4\",\"isLearner\":true,\"peerUrls\":[\"http://10.0.0.4:2380\"]}");
            Cli.Result table = Cli.run("--endpoints", a.url(), "member", "add", "n4", "--peer-urls=http://10.0.0.4:2380", "-w", "table");
            assertThat(table.out()).contains("| ROSTER_INITIAL_CLUSTER_STATE | existing").contains("00000000000000c4");
        }

        @Test
        void removeTakesAnIdOrANameAndARefusalExits5WithTheReason() {
            a.json("DELETE", "/v1/members/" + N2, 200, "{\"removed\":{\"id\":\"" + N2 + "\"},\"members\":[]}");
            Cli.Result byName = Cli.run("--endpoints", a.url(), "member", "remove", "n2");
            assertThat(byName.exitCode()).as(byName.toString()).isZero();
            assertThat(byName.out()).isEqualTo("Member " + N2 + " removed from cluster" + System.lineSeparator());
            assertThat(Cli.run("--endpoints", a.url(), "member", "remove", N2.toUpperCase(), "--force").exitCode()).isZero();
            assertThat(a.requests("DELETE", "/v1/members/" + N2).get(1).query()).isEqualTo("force=true");

            a.problem("DELETE", "/v1/members/" + N1, 409, "removing n1 would leave 1 of 2 started members: no quorum");
            Cli.Result refused = Cli.run("--endpoints", a.url(), "member", "remove", N1);
            assertThat(refused.exitCode()).isEqualTo(ExitCodes.CONFLICT);
            assertThat(refused.err()).isEqualTo("Error: removing n1 would leave 1 of 2 started members: no quorum"
                    + System.lineSeparator());

            Cli.Result unknown = Cli.run("--endpoints", a.url(), "member", "remove", "n9");
            assertThat(unknown.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
            assertThat(unknown.err()).contains("no member has the id or name 'n9'").contains("n1=" + N1);
        }

        @Test
        void updatePromoteAndMoveLeaderCallTheContract() {
            a.json("PUT", "/v1/members/" + N2, 200, "{\"member\":{\"id\":\"" + N2 + "\",\"name\":\"n2\",\"peerUrls\":[\"http://10.0.0.9:2380\"]}}");
            a.json("POST", "/v1/members/" + N2 + "/promote", 200, "{\"member\":{\"id\":\"" + N2 + "\",\"isLearner\":false}}");
            a.json("POST", "/v1/members/" + N2 + "/transfer-leadership", 200, "{\"leader\":\"" + N2 + "\"}");
            a.json("GET", "/v1/status", 200, "{\"memberId\":\"" + N1 + "\",\"leader\":\"" + N1 + "\"}");

            Cli.Result update = Cli.run("--endpoints", a.url(), "member", "update", N2, "--peer-urls", "http://10.0.0.9:2380");
            assertThat(update.out()).isEqualTo("Member " + N2 + " updated in cluster" + System.lineSeparator());
            assertThat(a.requests("PUT", "/v1/members/" + N2).get(0).body()).isEqualTo("{\"peerUrls\":[\"http://10.0.0.9:2380\"]}");

            assertThat(Cli.run("--endpoints", a.url(), "member", "promote", "n2").out())
                    .isEqualTo("Member " + N2 + " promoted in cluster" + System.lineSeparator());
            a.problem("POST", "/v1/members/" + N2 + "/promote", 409, "n2 is 1200 entries behind the leader");
            Cli.Result lagging = Cli.run("--endpoints", a.url(), "member", "promote", N2);
            assertThat(lagging.exitCode()).isEqualTo(ExitCodes.CONFLICT);
            assertThat(lagging.err()).contains("1200 entries behind");

            Cli.Result move = Cli.run("--endpoints", a.url(), "member", "move-leader", "n2");
            assertThat(move.exitCode()).as(move.toString()).isZero();
            assertThat(move.out()).isEqualTo("Leadership transferred from " + N1 + " to " + N2 + System.lineSeparator());
        }
    }

    @Nested
    class Endpoints {

        private String status(String id, String leader) {
            return "{\"version\":\"0.1.0\",\"clusterId\":\"c\",\"memberId\":\"" + id + "\",\"name\":\"" + id + "\",\"leader\":\""
                    + leader + "\",\"raftTerm\":2,\"raftIndex\":10,\"appliedIndex\":10,\"revision\":5,\"dbSizeBytes\":2000}";
        }

        @Test
        void statusAsksEveryEndpointAndNamesTheOnesThatFailed() {
            a.json("GET", "/v1/status", 200, status("a", "a"));
            b.json("GET", "/v1/status", 200, status("b", "a"));
            String dead = "http://127.0.0.1:" + FreePorts.next();
            Cli.Result result = Cli.run("--endpoints", both() + "," + dead, "endpoint", "status");
            assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
            assertThat(result.lines()).containsExactly(
                    a.url() + ", a, a, 0.1.0, 2.0 kB, true, a, 2, 10, 10, 5",
                    b.url() + ", b, b, 0.1.0, 2.0 kB, false, a, 2, 10, 10, 5");
            assertThat(result.err()).isEqualTo("Failed to get the status of endpoint " + dead + " (connection refused)"
                    + System.lineSeparator());
            var json = Json.parse(Cli.run("--endpoints", both() + "," + dead, "endpoint", "status", "-w", "json").out());
            assertThat(json.size()).isEqualTo(3);
            assertThat(json.get(0).path("status").path("memberId").asString()).isEqualTo("a");
            assertThat(json.get(2).path("error").asString()).isEqualTo("connection refused");
            assertThat(Cli.run("--endpoints", both(), "endpoint", "status").exitCode()).isZero();
        }

        @Test
        void statusOfNoEndpointAtAllIsTheOneUnavailableError() {
            String dead1 = "http://127.0.0.1:" + FreePorts.next();
            Cli.Result result = Cli.run("--endpoints", dead1, "endpoint", "status");
            assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(result.err()).isEqualTo("Error: no endpoint answered: " + dead1 + " (connection refused)" + System.lineSeparator());
        }

        @Test
        void healthIsUnhealthyWhenAnEndpointSaysDown() {
            a.json("GET", "/actuator/health", 200, "{\"status\":\"UP\",\"components\":{\"raft\":{\"status\":\"UP\","
                    + "\"details\":{\"role\":\"leader\",\"term\":2,\"appliedIndex\":10}}}}");
            b.json("GET", "/actuator/health", 503, "{\"status\":\"DOWN\",\"components\":{\"raft\":{\"status\":\"DOWN\","
                    + "\"details\":{\"reason\":\"no leader for 5000 ms\"}}}}");
            Cli.Result result = Cli.run("--endpoints", both(), "endpoint", "health");
            assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
            assertThat(result.lines()).hasSize(2);
            assertThat(result.lines().get(0)).startsWith(a.url() + " is healthy: raft leader, term 2, applied index 10: took = ");
            assertThat(result.lines().get(1)).startsWith(b.url() + " is unhealthy: HTTP 503: DOWN (raft DOWN: no leader for 5000 ms)");
            assertThat(result.err()).isEqualTo("Error: unhealthy cluster: 1 of 2 endpoints unhealthy" + System.lineSeparator());
        }

        /** A member from before GET /v1/status/members answers it 404: then every member's client URL is asked. */
        @Test
        void clusterAgainstAMemberWithoutStatusOfMembersAsksEveryMembersClientUrls() {
            a.json("GET", "/v1/members", 200, "{\"members\":[{\"id\":\"a\",\"clientUrls\":[\"" + a.url() + "\"]},"
                    + "{\"id\":\"b\",\"clientUrls\":[\"" + b.url() + "/\"]}]}");
            a.json("GET", "/v1/status", 200, status("a", "a"));
            b.json("GET", "/v1/status", 200, status("b", "a"));
            Cli.Result result = Cli.run("--endpoints", a.url(), "endpoint", "status", "--cluster");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.lines()).hasSize(2);
            assertThat(result.lines().get(1)).startsWith(b.url() + ", b,");
            assertThat(a.requests).extracting(FakeRoster.Recorded::path).startsWith("/v1/status/members", "/v1/members");
        }

        /**
         * One request to one endpoint; one row per member, at its client URL, from what each member answered the
         * endpoint over the peer port; the members that did not are named, with why, and the exit code is 1.
         */
        @Test
        void clusterPrintsOneRowPerMemberAsTheEndpointAskedGatheredThem() {
            String c = "http://10.0.0.3:2379";
            String d = "http://10.0.0.4:2379";
            a.json("GET", "/v1/status/members", 200, "{\"askedBy\":\"a\",\"revision\":5,\"members\":["
                    + member("a", a.url(), true, "\"status\":" + status("a", "a").replace("\"raftTerm\"", "\"role\":\"leader\",\"raftTerm\"")
                            .replace("\"appliedIndex\"", "\"commitIndex\":10,\"appliedIndex\"")) + ","
                    + member("b", b.url(), true, "\"status\":" + status("b", "a")) + ","
                    + member("c", c, false, "\"error\":\"Connection refused\"") + ","
                    + member("d", d, true, "\"error\":\"it runs an older release, which does not answer member.status\"") + "]}");

            Cli.Result result = Cli.run("--endpoints", a.url(), "endpoint", "status", "--cluster");
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.ERROR);
            assertThat(result.lines()).containsExactly(
                    a.url() + ", a, a, 0.1.0, 2.0 kB, true, a, 2, 10, 10, 5",
                    b.url() + ", b, b, 0.1.0, 2.0 kB, false, a, 2, 10, 10, 5");
            assertThat(result.err()).isEqualTo("Failed to get the status of endpoint " + c
                    + " (no answer over the peer port: Connection refused)" + System.lineSeparator()
                    + "Failed to get the status of endpoint " + d + " (it runs an older release, which does not answer member.status)"
                    + System.lineSeparator());
            assertThat(a.requests).extracting(FakeRoster.Recorded::path).containsExactly("/v1/status/members");
            assertThat(b.requests).as("the members are asked by the endpoint, not by rosterctl").isEmpty();

            Cli.Result table = Cli.run("--endpoints", a.url(), "endpoint", "status", "--cluster", "-w", "table");
            assertThat(table.lines()).hasSize(8); // three borders, the header, four members
            assertThat(table.out()).contains(c).contains("no answer over the peer port: Connection refused");
            var json = Json.parse(Cli.run("--endpoints", a.url(), "endpoint", "status", "--cluster", "-w", "json").out());
            assertThat(json.size()).isEqualTo(4);
            assertThat(json.get(0).path("status").path("role").asString()).isEqualTo("leader");
            assertThat(json.get(0).path("status").path("commitIndex").asLong()).isEqualTo(10);
            assertThat(json.get(1).path("status").has("role")).as("a member that does not say its role").isFalse();
            assertThat(json.get(2).path("endpoint").asString()).isEqualTo(c);
            assertThat(json.get(2).path("error").asString()).isEqualTo("no answer over the peer port: Connection refused");
        }

        private String member(String id, String clientUrl, boolean reachable, String answer) {
            return "{\"memberId\":\"" + id + "\",\"name\":\"" + id + "\",\"peerUrls\":[\"http://10.0.0.9:2380\"],\"clientUrls\":[\""
                    + clientUrl + "\"],\"isLearner\":false,\"reachable\":" + reachable + "," + answer + "}";
        }
    }

    @Nested
    class Watches {

        private static final String PUT = "{\"type\":\"PUT\",\"key\":\"k\",\"value\":\"%s\",\"modRevision\":%d,\"revision\":%d}";

        private void events(FakeRoster server, String path, String... chunks) {
            server.on("GET", path, (exchange, request) -> {
                OutputStream out = FakeRoster.startEvents(exchange);
                for (String chunk : chunks) {
                    FakeRoster.send(out, chunk);
                }
                out.close(); // the member went away
            });
        }

        @Test
        void aBrokenStreamResumesOnTheNextEndpointAfterTheLastEvent() {
            events(a, "/v1/watch/kv/k", ":watching changes after revision 5\n\n",
                    "id:6\ndata:" + String.format(PUT, "one", 6, 6) + "\n\n",
                    ":keep-alive\n\n",
                    "id:7\ndata:" + String.format(PUT, "two", 7, 7) + "\n\n");
            events(b, "/v1/watch/kv/k", ":watching changes after revision 7\n\n",
                    "id:9\ndata:{\"type\":\"DELETE\",\"key\":\"k\",\"modRevision\":9,\"revision\":9}\n\n");
            Cli.Result result = Cli.run("--endpoints", both(), "watch", "k", "--count", "3");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.lines()).containsExactly("PUT", "k", "one", "PUT", "k", "two", "DELETE", "k");
            assertThat(a.requests.get(0).query()).isNull();
            assertThat(b.requests.get(0).query()).isEqualTo("revision=7");
        }

        @Test
        void aWatchFromNowResumesAfterTheRevisionTheServerStartedAt() {
            events(a, "/v1/watch/kv/k", ":watching changes after revision 5\n\n");
            events(b, "/v1/watch/kv/k", "id:6\ndata:" + String.format(PUT, "x", 6, 6) + "\n\n");
            Cli.Result result = Cli.run("--endpoints", both(), "watch", "k", "--prefix", "--count", "1", "-w", "json");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).isEqualTo(String.format(PUT, "x", 6, 6) + System.lineSeparator());
            assertThat(b.requests.get(0).query()).isEqualTo("prefix=true&revision=5");
        }

        @Test
        void revIsInclusiveAsInEtcdctl() {
            events(a, "/v1/watch/services/web", "id:10\ndata:{\"type\":\"DELETE\",\"service\":\"web\",\"instanceId\":\"w1\","
                    + "\"revision\":10,\"reason\":\"expired\"}\n\n");
            Cli.Result result = Cli.run("--endpoints", a.url(), "service", "watch", "web", "--rev", "10", "--count", "1");
            assertThat(result.out()).isEqualTo("DELETE web/w1 (expired)" + System.lineSeparator());
            assertThat(a.requests.get(0).query()).isEqualTo("revision=9");
        }

        @Test
        void anEndEventEndsTheWatchWithItsReason() {
            events(a, "/v1/watch/kv/k", "id:6\ndata:" + String.format(PUT, "x", 6, 6) + "\n\n",
                    "event:end\ndata:list again: the state was replaced at revision 40\n\n");
            Cli.Result result = Cli.run("--endpoints", a.url(), "watch", "k");
            assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
            assertThat(result.lines()).containsExactly("PUT", "k", "x");
            assertThat(result.err()).isEqualTo("Error: the watch was ended by " + a.url()
                    + ": list again: the state was replaced at revision 40" + System.lineSeparator());
        }

        @Test
        void aRevisionOutsideTheHistoryIs410AndNotRetried() {
            a.problem("GET", "/v1/watch/kv/k", 410, "revision 3 is older than the history");
            Cli.Result result = Cli.run("--endpoints", both(), "watch", "k", "--rev", "4");
            assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
            assertThat(result.err()).isEqualTo("Error: revision 3 is older than the history" + System.lineSeparator());
            assertThat(b.requests).isEmpty();
        }

        @Test
        void whenEveryEndpointIsGoneTheWatchFailsNamingThem() {
            a.on("GET", "/v1/watch/kv/k", (exchange, request) -> {
                OutputStream out = FakeRoster.startEvents(exchange);
                if (request.query() == null) {
                    FakeRoster.send(out, "id:6\ndata:" + String.format(PUT, "x", 6, 6) + "\n\n");
                }
                out.close();
            });
            String dead = "http://127.0.0.1:" + FreePorts.next();
            Cli.Result result = Cli.run("--endpoints", a.url() + "," + dead, "watch", "k");
            assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(result.lines()).containsExactly("PUT", "k", "x");
            assertThat(result.err()).startsWith("Error: no endpoint answered: ").contains(dead + " (connection refused)")
                    .contains(a.url() + " (the event stream ended)");
        }
    }
}
