package io.roster.api;

import io.roster.testing.EventStream;
import io.roster.testing.RealNodeTest;
import io.roster.testing.RosterHttp;
import io.roster.testing.RosterHttp.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every endpoint against every kind of caller, once users and roles are enforced: no credentials, wrong
 * ones (an unknown token, a user's token altered), root (a static client token and the root user), one user per role, and a user with no role. Each
 * caller may do exactly what its role grants: an allowed request is never a 401 or 403, a denied one is a
 * 403 problem naming the permission it lacked. Watches and lists over more than a caller may see show it
 * just what it may.
 */
@ExtendWith(OutputCaptureExtension.class)
@AutoConfigureMetrics // tests turn metrics export off unless asked; the open scrape endpoint is checked here
@TestPropertySource(properties = "roster.auth.tokens=" + AuthorizationMatrixTest.STATIC_TOKEN)
class AuthorizationMatrixTest extends RealNodeTest {

    static final String STATIC_TOKEN = "matrix-static-token-0123456789";
    private static final String PASSWORD = "correct horse battery";
    private static final String NO_MEMBER = "00000000000000aa";

    private static final String NONE = "none";
    private static final String WRONG = "wrong";
    private static final String TAMPERED = "tampered";
    private static final String STATIC = "static-token";
    private static final String ROOT = "root";
    private static final String READER = "alice";
    private static final String WRITER = "bob";
    private static final String WRITE_ONLY = "frank";
    private static final String REGISTRAR = "carol";
    private static final String DISCOVERER = "dave";
    private static final String NOBODY = "erin";
    private static final List<String> USERS = List.of(ROOT, READER, WRITER, WRITE_ONLY, REGISTRAR, DISCOVERER, NOBODY);
    private static final Set<String> ROOT_ONLY = Set.of(STATIC, ROOT);

    /** One row: a request, and the callers that may make it (root always may). */
    private record Row(String method, String path, String body, Set<String> allowed) {
        static Row of(String method, String path, String body, String... allowed) {
            Set<String> callers = new java.util.HashSet<>(ROOT_ONLY);
            callers.addAll(List.of(allowed));
            return new Row(method, path, body, Set.copyOf(callers));
        }
    }

    @Test
    void eachRoleMayDoExactlyWhatItGrants(CapturedOutput output) {
        RosterHttp root = http.withToken(STATIC_TOKEN);
        Reply refused = root.post("/v1/auth/enable", null);
        assertThat(refused.status()).as("enable without a root user: %s", refused).isEqualTo(409);
        assertThat(refused.json().path("detail").asString()).contains("user 'root'");

        for (String user : USERS) {
            assertThat(root.post("/v1/auth/users", RosterHttp.json(Map.of("name", user, "password", PASSWORD))).status()).isEqualTo(201);
        }
        role(root, "reader", "read", "config/");
        role(root, "writer", "readwrite", "config/");
        role(root, "write-only", "write", "config/");
        role(root, "registrar", "register", "payments");
        role(root, "discoverer", "discover", "payments");
        grant(root, ROOT, "root");
        grant(root, READER, "reader");
        grant(root, WRITER, "writer");
        grant(root, WRITE_ONLY, "write-only");
        grant(root, REGISTRAR, "registrar");
        grant(root, DISCOVERER, "discoverer");
        Reply enabled = root.post("/v1/auth/enable", null);
        assertThat(enabled.status()).as(enabled.toString()).isEqualTo(200);
        assertThat(enabled.json().path("enabled").asBoolean()).isTrue();

        Map<String, RosterHttp> callers = new LinkedHashMap<>();
        callers.put(NONE, http);
        callers.put(WRONG, http.withToken("not-a-token-of-this-cluster-123"));
        callers.put(STATIC, root);
        for (String user : USERS) {
            Reply token = http.post("/v1/auth/authenticate", RosterHttp.json(Map.of("name", user, "password", PASSWORD)));
            assertThat(token.status()).as("authenticate %s: %s", user, token).isEqualTo(200);
            callers.put(user, http.withToken(token.string("token")));
        }
        // A user's token with one character changed: its signature no longer matches.
        String token = http.post("/v1/auth/authenticate", RosterHttp.json(Map.of("name", ROOT, "password", PASSWORD))).string("token");
        int middle = token.length() / 2;
        callers.put(TAMPERED, http.withToken(token.substring(0, middle) + (token.charAt(middle) == 'A' ? 'B' : 'A') + token.substring(middle + 1)));
        Reply wrongPassword = http.post("/v1/auth/authenticate", RosterHttp.json(Map.of("name", READER, "password", "not the password")));
        Reply noSuchUser = http.post("/v1/auth/authenticate", RosterHttp.json(Map.of("name", "mallory", "password", PASSWORD)));
        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(noSuchUser.status()).isEqualTo(401);
        assertThat(noSuchUser.json().path("detail").asString()).isEqualTo(wrongPassword.json().path("detail").asString());

        assertThat(root.kvPut("config/seed", "v").status()).isEqualTo(200);
        String leaseId = root.post("/v1/leases", "{\"ttlSeconds\":60}").string("id");
        assertThat(root.put("/v1/kv/config/leased", "{\"value\":\"v\",\"lease\":\"" + leaseId + "\"}").status()).isEqualTo(200);
        String instance = "{\"host\":\"10.0.0.1\",\"port\":8080}";
        assertThat(root.put("/v1/services/payments/instances/p0", instance).status()).isEqualTo(201);
        String instanceLease = root.get("/v1/services/payments/instances/p0").string("leaseId");

        List<Row> rows = List.of(
                Row.of("GET", "/v1/kv/config/seed", null, READER, WRITER),
                Row.of("GET", "/v1/kv/config/?prefix=true", null, READER, WRITER),
                Row.of("GET", "/v1/kv/?prefix=true", null),
                Row.of("GET", "/v1/kv/other/key", null),
                // A lease's keys and instances decide what reading, keeping alive and revoking it need.
                Row.of("GET", "/v1/leases/" + leaseId, null, READER, WRITER), // its key is config/leased
                Row.of("PUT", "/v1/leases/" + leaseId + "/keepalive", null, WRITER, WRITE_ONLY),
                Row.of("DELETE", "/v1/leases/" + leaseId, null, WRITER, WRITE_ONLY),
                Row.of("GET", "/v1/leases/" + instanceLease, null, DISCOVERER), // it holds payments/p0
                Row.of("PUT", "/v1/leases/" + instanceLease + "/keepalive", null, REGISTRAR),
                Row.of("DELETE", "/v1/leases/" + instanceLease, null, REGISTRAR),
                Row.of("PUT", "/v1/kv/config/a", "{\"value\":\"x\"}", WRITER, WRITE_ONLY),
                Row.of("DELETE", "/v1/kv/config/a", null, WRITER, WRITE_ONLY),
                Row.of("DELETE", "/v1/kv/config/?prefix=true", null, WRITER, WRITE_ONLY),
                Row.of("PUT", "/v1/kv/other/a", "{\"value\":\"x\"}"),
                Row.of("POST", "/v1/leases", "{\"ttlSeconds\":10}", READER, WRITER, WRITE_ONLY, REGISTRAR, DISCOVERER, NOBODY),
                Row.of("PUT", "/v1/services/payments/instances/p1", instance, REGISTRAR),
                Row.of("PUT", "/v1/services/payments/instances/p1/heartbeat", null, REGISTRAR),
                Row.of("PATCH", "/v1/services/payments/instances/p1", "{\"status\":\"OUT_OF_SERVICE\"}", REGISTRAR),
                Row.of("GET", "/v1/services/payments/instances", null, DISCOVERER),
                Row.of("GET", "/v1/services/payments/instances/p1", null, DISCOVERER),
                Row.of("GET", "/v1/services/payments/leases", null, DISCOVERER),
                Row.of("GET", "/v1/services/orders/leases", null),
                Row.of("GET", "/v1/services", null, DISCOVERER), // shows what the caller may discover
                Row.of("PUT", "/v1/services/orders/instances/o1", instance),
                Row.of("GET", "/v1/services/orders/instances", null),
                Row.of("DELETE", "/v1/services/payments/instances/p1", null, REGISTRAR),
                Row.of("GET", "/v1/status", null, READER, WRITER, WRITE_ONLY, REGISTRAR, DISCOVERER, NOBODY),
                Row.of("GET", "/v1/status/members", null, READER, WRITER, WRITE_ONLY, REGISTRAR, DISCOVERER, NOBODY),
                Row.of("GET", "/v1/members", null, READER, WRITER, WRITE_ONLY, REGISTRAR, DISCOVERER, NOBODY),
                Row.of("POST", "/v1/members", "{\"name\":\"n9\",\"peerUrls\":[\"http://10.9.9.9:2380\"],\"isLearner\":true}"),
                // Membership on a member id that does not exist: root gets 404, everyone else 403.
                Row.of("PUT", "/v1/members/" + NO_MEMBER, "{\"peerUrls\":[\"http://10.9.9.8:2380\"]}"),
                Row.of("POST", "/v1/members/" + NO_MEMBER + "/promote", null),
                Row.of("POST", "/v1/members/" + NO_MEMBER + "/transfer-leadership", null),
                Row.of("DELETE", "/v1/members/" + NO_MEMBER, null),
                Row.of("GET", "/v1/snapshot", null),
                Row.of("GET", "/v1/auth/users", null),
                Row.of("GET", "/v1/auth/users/" + READER, null),
                Row.of("GET", "/v1/auth/roles", null),
                Row.of("GET", "/v1/auth/roles/reader", null),
                Row.of("GET", "/v1/auth/status", null),
                Row.of("POST", "/v1/auth/roles", "{\"name\":\"extra\"}"),
                Row.of("POST", "/v1/auth/roles/extra/permissions", "{\"access\":\"read\",\"prefix\":\"x/\"}"),
                Row.of("DELETE", "/v1/auth/roles/extra/permissions?access=read&prefix=x/", null),
                Row.of("DELETE", "/v1/auth/roles/extra", null),
                Row.of("PUT", "/v1/auth/users/root/roles/reader", null),
                Row.of("DELETE", "/v1/auth/users/root/roles/reader", null),
                Row.of("POST", "/v1/auth/users", "{\"name\":\"ghost\",\"password\":\"a password\"}"),
                Row.of("PUT", "/v1/auth/users/ghost/password", "{\"password\":\"another password\"}"),
                Row.of("DELETE", "/v1/auth/users/ghost", null),
                Row.of("POST", "/v1/auth/enable", null),
                Row.of("GET", "/actuator/metrics", null));

        List<String> failures = new ArrayList<>();
        for (Row row : rows) {
            // Denied callers first: an allowed one may change what the row needs (a revoked lease holds no keys).
            List<String> order = new ArrayList<>(callers.keySet());
            order.sort((a, b) -> Boolean.compare(row.allowed().contains(a), row.allowed().contains(b)));
            for (String caller : order) {
                Reply reply = call(callers.get(caller), row);
                check(row, caller, reply.status(), reply.body(), failures);
            }
        }
        // A watch over more than the caller may read is allowed and shows just that part (checked below).
        for (String[] watch : new String[][] {{"/v1/watch/kv/config/?prefix=true", READER + "," + WRITER},
                {"/v1/watch/kv/?prefix=true", READER + "," + WRITER}, {"/v1/watch/kv/other/?prefix=true", ""},
                {"/v1/watch/services/payments", DISCOVERER}, {"/v1/watch/services/orders", ""},
                {"/v1/watch/services", DISCOVERER}}) {
            Row row = Row.of("GET", watch[0], null, watch[1].isEmpty() ? new String[0] : watch[1].split(","));
            for (Map.Entry<String, RosterHttp> caller : callers.entrySet()) {
                try (EventStream stream = caller.getValue().events(watch[0])) {
                    check(row, caller.getKey(), stream.status(), stream.status() >= 400 ? stream.errorBody() : "", failures);
                }
            }
        }
        // Probes, metrics and signing in stay open (roster.auth.public-probes, public-metrics), whatever a caller sends.
        for (Row open : List.of(Row.of("GET", "/actuator/health/liveness", null), Row.of("GET", "/actuator/health/readiness", null),
                Row.of("GET", "/actuator/prometheus", null),
                Row.of("POST", "/v1/auth/authenticate", RosterHttp.json(Map.of("name", READER, "password", PASSWORD))))) {
            for (Map.Entry<String, RosterHttp> caller : callers.entrySet()) {
                Reply reply = call(caller.getValue(), open);
                if (reply.status() != 200) {
                    failures.add(open.method() + " " + open.path() + " as " + caller.getKey() + " -> " + reply.status() + " (expected 200: it is public)");
                }
            }
        }
        assertThat(failures).as("requests answered other than the roles say").isEmpty();
        assertAuditLines(output);

        // Watches and lists show each caller only what it may see.
        try (EventStream keys = callers.get(READER).events("/v1/watch/kv/?prefix=true");
             EventStream services = callers.get(DISCOVERER).events("/v1/watch/services")) {
            assertThat(root.kvPut("other/hidden", "x").status()).isEqualTo(200);
            assertThat(root.put("/v1/services/orders/instances/o2", instance).status()).isEqualTo(201);
            assertThat(root.kvPut("config/shown", "y").status()).isEqualTo(200);
            assertThat(root.put("/v1/services/payments/instances/p2", instance).status()).isEqualTo(201);
            await("the visible changes arrive").atMost(Duration.ofSeconds(30))
                    .until(() -> !keys.events().isEmpty() && !services.events().isEmpty());
            // Events come in revision order, so a hidden change would have arrived before the visible one.
            assertThat(keys.events()).extracting(event -> event.data().path("key").asString()).containsExactly("config/shown");
            assertThat(services.events()).extracting(event -> event.data().path("service").asString()).containsExactly("payments");
        }
        assertThat(callers.get(DISCOVERER).get("/v1/services").json().path("services").valueStream()
                .map(service -> service.path("name").asString())).containsExactly("payments");
        assertThat(root.get("/v1/services").json().path("services").valueStream()
                .map(service -> service.path("name").asString())).containsExactlyInAnyOrder("orders", "payments");

        Reply health = callers.get(NONE).get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().has("components")).isFalse();
        assertThat(callers.get(NOBODY).get("/actuator/health").json().has("components")).isTrue();

        // Last, as it turns everything off: only root may disable users and roles.
        for (String user : List.of(READER, WRITER, REGISTRAR, DISCOVERER, NOBODY)) {
            Reply denied = callers.get(user).post("/v1/auth/disable", null);
            assertThat(denied.status()).as("%s disables auth: %s", user, denied).isEqualTo(403);
        }
        assertThat(callers.get(NONE).post("/v1/auth/disable", null).status()).isEqualTo(401);
        Reply disabled = callers.get(ROOT).post("/v1/auth/disable", null);
        assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
        assertThat(disabled.json().path("enabled").asBoolean()).isFalse();
    }

    private static void check(Row row, String caller, int status, String body, List<String> failures) {
        String request = row.method() + " " + row.path() + " as " + caller + " -> " + status + " " + body;
        if (caller.equals(NONE) || caller.equals(WRONG) || caller.equals(TAMPERED)) {
            if (status != 401) {
                failures.add(request + " (expected 401)");
            }
        } else if (row.allowed().contains(caller)) {
            if (status == 401 || status == 403 || status >= 500) {
                failures.add(request + " (expected allowed)");
            }
        } else if (status != 403 || !body.contains("lacks")) {
            failures.add(request + " (expected 403 naming what it lacks)");
        }
    }

    /** Each refusal and each change of users and roles leaves a line on io.roster.audit that says who, what and how it ended. */
    private static void assertAuditLines(CapturedOutput output) {
        assertThat(output.getOut().lines().filter(line -> line.contains("io.roster.audit")))
                .anyMatch(line -> line.contains("user=alice via=\"password\" method=PUT path=/v1/kv/other/a outcome=denied"
                        + " missing=\"write on key 'other/a'\""))
                .anyMatch(line -> line.contains("user=- method=DELETE path=/v1/kv/config/a outcome=unauthenticated reason="))
                .anyMatch(line -> line.contains("user=mallory action=authenticate outcome=denied"))
                .anyMatch(line -> line.contains("user=client token action=\"user grant-role alice reader\" outcome=done"))
                .noneMatch(line -> line.contains(PASSWORD));
    }

    private static void role(RosterHttp root, String name, String access, String prefix) {
        assertThat(root.post("/v1/auth/roles", RosterHttp.json(Map.of("name", name))).status()).isEqualTo(201);
        Reply granted = root.post("/v1/auth/roles/" + name + "/permissions", RosterHttp.json(Map.of("access", access, "prefix", prefix)));
        assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
    }

    private static void grant(RosterHttp root, String user, String role) {
        Reply granted = root.put("/v1/auth/users/" + user + "/roles/" + role, null);
        assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
    }

    private static Reply call(RosterHttp client, Row row) {
        HttpRequest.Builder request = HttpRequest.newBuilder(client.uri(row.path())).method(row.method(),
                row.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(row.body()));
        if (row.body() != null) {
            request.header("Content-Type", "application/json");
        }
        return client.send(request);
    }
}
