package io.roster.ops;

import io.roster.testing.Promtool;
import io.roster.testing.RealNodeTest;
import io.roster.testing.RosterHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The metrics a node exposes pass Prometheus' lint, and the dashboard and alert rules shipped in
 * {@code monitoring/} only use metrics that exist.
 */
@AutoConfigureMetrics // tests turn metrics export off unless asked
class MonitoringAssetsTest extends RealNodeTest {

    private static final Path ALERTS = Path.of("monitoring/prometheus/roster-alerts.yml");
    private static final Path DASHBOARD = Path.of("monitoring/grafana/roster-dashboard.json");
    /** Series that exist only on the leader of a cluster with other members; MonitoringIT checks them there. */
    static final Set<String> ONLY_WITH_PEERS = Set.of("roster_raft_peer_lag_entries");
    private static final Pattern METRIC = Pattern.compile("\\b((?:roster|http_server|jvm|process)_[a-z0-9_]+)");

    String exposition;

    @BeforeEach
    void scrape() {
        http.put("/v1/kv/monitoring", "{\"value\":\"x\"}");
        http.put("/v1/services/web/instances/w1", "{\"host\":\"h\",\"port\":1}");
        http.get("/v1/kv/absent");
        RosterHttp.Reply reply = http.get("/actuator/prometheus");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("text/plain");
        exposition = reply.body();
    }

    @Test
    void theExpositionPassesPromtoolCheckMetrics() {
        Promtool.Result result = Promtool.run(exposition, "check", "metrics");

        assertThat(result.output()).as("promtool check metrics findings").isBlank();
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void everyRosterMetricHasHelpTextAndNoLabelGrowsWithData() {
        assertThat(exposition).contains("roster_raft_is_leader 1.0", "roster_registry_instances 1.0", "roster_keys 2.0");
        for (String line : exposition.lines().filter(l -> l.startsWith("roster_")).toList()) {
            String family = line.split("[{ ]")[0].replaceAll("_(count|sum|max)$", "");
            assertThat(exposition).as("help text of %s", family).containsPattern("# HELP " + Pattern.quote(family) + "(_[a-z]+)? \\S");
        }
        assertThat(exposition).doesNotContain("key=\"", "service=\"", "instanceId=\"");
        assertThat(exposition).contains("uri=\"/v1/kv/{*key}\"").doesNotContain("uri=\"/v1/kv/monitoring\"");
    }

    @Test
    void theAlertRulesPassPromtoolCheckRules() {
        Promtool.Result result = Promtool.run(null, "check", "rules", ALERTS.toAbsolutePath().toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void theDashboardAndTheAlertsOnlyUseMetricsThatExist() throws IOException {
        Set<String> exposed = new TreeSet<>();
        exposition.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .forEach(line -> exposed.add(line.split("[{ ]")[0]));

        for (Path asset : new Path[] {ALERTS, DASHBOARD}) {
            Matcher metrics = METRIC.matcher(Files.readString(asset));
            Set<String> used = new TreeSet<>();
            while (metrics.find()) {
                used.add(metrics.group(1));
            }
            used.removeAll(ONLY_WITH_PEERS);
            assertThat(used).as("metrics used by %s", asset).isNotEmpty();
            assertThat(exposed).as("metrics exposed, for %s", asset).containsAll(used);
        }
    }
}
