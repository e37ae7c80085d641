package io.roster.process;

import io.roster.testing.ProcessCluster;
import io.roster.testing.Promtool;
import io.roster.testing.RosterHttp;
import io.roster.testing.FreePorts;
import io.roster.testing.RosterProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus (Debian's package) scrapes a three-member cluster on loopback with the shipped alert
 * rules: it sees exactly one leader, per-member lag on the leader, and a stopped member as unreachable;
 * after {@code kill -9} of the leader the survivors' metrics agree on a new one within a few election timeouts.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MonitoringIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Path ALERTS = Path.of("monitoring/prometheus/roster-alerts.yml").toAbsolutePath();

    @TempDir
    Path prometheusDir;

    /** Asks Prometheus's own HTTP API, not Roster's. */
    private final HttpClient prometheusApi = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void prometheusSeesOneLeaderAndAStoppedMemberAsUnreachable(TestInfo test) throws Exception {
        Path prometheusBinary = Promtool.require("prometheus");
        try (ProcessCluster cluster = ProcessCluster.builder()
                .members(3)
                .electionTimeout(Duration.ofMillis(1000))
                .logDir(RosterProcess.logDirFor(getClass(), test.getTestMethod().orElseThrow().getName()))
                .build()) {
            cluster.start().awaitReady(START_TIMEOUT);
            for (RosterProcess member : cluster.members()) {
                String exposition = member.client().get("/actuator/prometheus").body();
                Promtool.Result lint = Promtool.run(exposition, "check", "metrics");
                assertThat(lint.output()).as("promtool check metrics on %s", member.name()).isBlank();
            }

            int port = FreePorts.next();
            Process prometheus = startPrometheus(prometheusBinary, cluster, port);
            try {
                String api = "http://127.0.0.1:" + port;
                // It listens before it is ready, and answers 503 "Service Unavailable" until then.
                await("Prometheus is ready").atMost(Duration.ofSeconds(60)).ignoreException(ConnectException.class)
                        .until(() -> send(api + "/-/ready").statusCode() == 200);
                await("Prometheus scrapes all three members").atMost(Duration.ofSeconds(60))
                        .untilAsserted(() -> assertThat(scalar(api, "count(up{job=\"roster\"} == 1)")).isEqualTo(3));
                await("sum(roster_raft_is_leader) is 1").atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(scalar(api, "sum(roster_raft_is_leader)")).isEqualTo(1));
                assertThat(scalar(api, "sum(roster_raft_has_leader)")).isEqualTo(3);
                await("lag series for both followers").atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(scalar(api, "count(roster_raft_peer_lag_entries)")).isEqualTo(2));
                JsonNode rules = get(api + "/api/v1/rules");
                int loaded = rules.path("data").path("groups").valueStream()
                        .mapToInt(group -> group.path("rules").size()).sum();
                assertThat(loaded).as("alert rules loaded by Prometheus").isEqualTo(9);

                RosterProcess killed = cluster.awaitLeader(Duration.ofSeconds(30));
                List<RosterProcess> survivors = cluster.followers();
                long killedAt = System.nanoTime();
                killed.kill9();
                await("the survivors' metrics agree on a new leader within a few election timeouts")
                        .atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                            assertThat(survivors.stream().mapToDouble(member -> gauge(member, "roster_raft_is_leader")).sum())
                                    .isEqualTo(1);
                            assertThat(survivors).allSatisfy(member ->
                                    assertThat(gauge(member, "roster_raft_has_leader")).isEqualTo(1));
                        });
                System.out.printf("survivors agreed on a new leader %d ms after kill -9%n",
                        (System.nanoTime() - killedAt) / 1_000_000);
                killed.restart().waitReady(START_TIMEOUT);

                RosterProcess leader = cluster.awaitLeader(Duration.ofSeconds(30));
                RosterProcess follower = cluster.followers().get(0);
                follower.stop();

                await("the leader's health shows the stopped member unreachable").atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> {
                            JsonNode members = leader.client().request("GET", "/actuator/health", null).json()
                                    .path("components").path("raft").path("details").path("members");
                            List<JsonNode> unreachable = members.valueStream()
                                    .filter(member -> member.path("state").asString().equals("unreachable")).toList();
                            assertThat(unreachable).singleElement().satisfies(member -> {
                                assertThat(member.path("name").asString()).isEqualTo(follower.name());
                                assertThat(member.path("unreachableForMillis").asLong()).isNotNegative();
                            });
                        });
                await("Prometheus sees one unreachable member").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(scalar(api, "sum(roster_raft_members{state=\"unreachable\"})")).isEqualTo(1));
                assertThat(scalar(api, "sum(roster_raft_is_leader)")).isEqualTo(1);
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
        }
    }

    private Process startPrometheus(Path binary, ProcessCluster cluster, int port) throws IOException {
        String targets = cluster.members().stream().map(member -> "'127.0.0.1:" + member.clientPort() + "'")
                .collect(Collectors.joining(", "));
        Path config = Files.writeString(prometheusDir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - '%s'
                scrape_configs:
                  - job_name: roster
                    metrics_path: /actuator/prometheus
                    static_configs:
                      - targets: [%s]
                """.formatted(ALERTS, targets));
        Path log = RosterProcess.logDirFor(getClass(), "prometheus").resolve("prometheus.log");
        Files.createDirectories(log.getParent());
        return new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + prometheusDir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** A gauge read straight from a member's exposition, as Prometheus would scrape it. */
    private double gauge(RosterProcess member, String name) {
        String exposition = member.client().get("/actuator/prometheus").body();
        return exposition.lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(name.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError(name + " missing from " + member.name()));
    }

    private double scalar(String api, String query) throws Exception {
        JsonNode answer = get(api + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        JsonNode result = answer.path("data").path("result");
        if (result.isEmpty()) {
            return Double.NaN;
        }
        return Double.parseDouble(result.get(0).path("value").get(1).asString());
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> response = send(url);
        assertThat(response.statusCode()).as("GET %s answered %s", url, response.body()).isEqualTo(200);
        return RosterHttp.JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String url) throws Exception {
        return prometheusApi.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
