package io.roster.container;

import io.roster.testing.Promtool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitoring half of docker-compose.yml: every file it mounts exists, Prometheus' configuration is
 * valid with the alert rules where the mounts put them (promtool, as Prometheus would load it), it scrapes
 * every Roster service on its client port, and Grafana's data source points at the Prometheus service.
 */
class ComposeMonitoringTest {

    private static final Path COMPOSE = Path.of("docker-compose.yml");

    @Test
    void everyMountedFileIsInTheRepository() throws IOException {
        for (Map.Entry<String, Map<String, Object>> service : services().entrySet()) {
            for (String[] mount : bindMounts(service.getValue())) {
                assertThat(Path.of(mount[0])).as("%s mounts %s", service.getKey(), mount[0]).isRegularFile();
            }
        }
    }

    @Test
    void prometheusLoadsItsConfigurationAndTheAlertRulesAsMounted(@TempDir Path root) throws IOException {
        Map<String, Object> prometheus = services().get("prometheus");
        for (String[] mount : bindMounts(prometheus)) {
            Path target = root.resolve(mount[1].substring(1));
            Files.createDirectories(target.getParent());
            Files.copy(Path.of(mount[0]), target);
        }
        Promtool.Result check = Promtool.run(null, "check", "config", root.resolve("etc/prometheus/prometheus.yml").toString());
        assertThat(check.exitCode()).as("promtool check config: %s", check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 1 rule files found");
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesEveryRosterServiceAndGrafanaReadsPrometheus() throws IOException {
        Map<String, Object> config = new Yaml().load(Files.readString(Path.of("monitoring/compose/prometheus.yml")));
        Map<String, Object> job = ((List<Map<String, Object>>) config.get("scrape_configs")).get(0);
        assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
        List<String> targets = (List<String>) ((List<Map<String, Object>>) job.get("static_configs")).get(0).get("targets");
        List<String> expected = ComposeBootstrapIT.rosterServices(COMPOSE).values().stream()
                .map(service -> service.name() + ":" + service.clientPort()).toList();
        assertThat(targets).containsExactlyInAnyOrderElementsOf(expected);

        Map<String, Object> datasources = new Yaml().load(Files.readString(Path.of("monitoring/compose/grafana/datasources.yml")));
        Map<String, Object> datasource = ((List<Map<String, Object>>) datasources.get("datasources")).get(0);
        assertThat(datasource).containsEntry("type", "prometheus").containsEntry("url", "http://prometheus:9090");
        assertThat(services()).containsKey("prometheus");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE));
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    /** The "./source:target[:ro]" volumes of a service, as {source, target}. */
    private static List<String[]> bindMounts(Map<String, Object> service) {
        Object volumes = service.get("volumes");
        if (!(volumes instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().map(Object::toString).filter(volume -> volume.startsWith("./"))
                .map(volume -> volume.split(":")).map(parts -> new String[] {parts[0], parts[1]}).toList();
    }
}
