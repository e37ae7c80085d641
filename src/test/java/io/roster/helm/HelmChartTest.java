package io.roster.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.roster.helm.RenderedChart.at;
import static io.roster.helm.RenderedChart.container;
import static io.roster.helm.RenderedChart.env;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Helm chart under helm/: lint, and what it renders, asserted on the parsed manifests. */
class HelmChartTest {

    private static final String HEADLESS = "roster-headless";
    private static final String POD_DOMAIN = HEADLESS + ".default.svc.cluster.local";

    @Test
    void passesHelmLintStrictly() {
        LintResult lint = new Helm(RenderedChart.chartDir()).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(message -> message.contains("[ERROR]") || message.contains("[WARNING]"));
    }

    @ParameterizedTest(name = "{0} replicas")
    @ValueSource(ints = {1, 3, 5})
    void rendersAStatefulSetWithStablePeerNamesAndParallelBootstrap(int replicas) {
        RenderedChart chart = RenderedChart.render(Map.of("replicas", replicas));
        Map<String, Object> statefulSet = chart.get("StatefulSet", "roster");

        assertThat((Integer) at(statefulSet, "spec", "replicas")).isEqualTo(replicas);
        assertThat((String) at(statefulSet, "spec", "serviceName")).isEqualTo(HEADLESS);
        assertThat((String) at(statefulSet, "spec", "podManagementPolicy")).isEqualTo("Parallel");
        assertThat((String) at(statefulSet, "spec", "volumeClaimTemplates", 0, "metadata", "name")).isEqualTo("data");
        assertThat((String) at(statefulSet, "spec", "volumeClaimTemplates", 0, "spec", "resources", "requests", "storage"))
                .isEqualTo("8Gi");
        assertThat((List<String>) at(statefulSet, "spec", "volumeClaimTemplates", 0, "spec", "accessModes"))
                .containsExactly("ReadWriteOnce");

        Map<String, Object> container = container(statefulSet);
        assertThat((List<String>) at(container, "command")).containsExactly("/bin/bash", "/etc/roster/chart/start.sh");
        assertThat((List<Map<String, Object>>) at(container, "ports")).extracting(port -> port.get("name") + "=" + port.get("containerPort"))
                .containsExactly("client=2379", "peer=2380");
        assertProbe(container, "startupProbe", "/actuator/health/liveness", "HTTP");
        assertProbe(container, "readinessProbe", "/actuator/health/readiness", "HTTP");
        assertProbe(container, "livenessProbe", "/actuator/health/liveness", "HTTP");
        assertThat((Map<String, Object>) at(container, "resources", "requests")).containsKeys("cpu", "memory");
        assertThat((String) at(container, "resources", "limits", "memory")).isEqualTo("1Gi");

        Map<String, Map<String, Object>> env = env(container);
        assertThat((String) at(env.get("POD_NAME"), "valueFrom", "fieldRef", "fieldPath")).isEqualTo("metadata.name");
        assertThat((String) at(env.get("ROSTER_NAME"), "value")).isEqualTo("$(POD_NAME)");
        assertThat((String) at(env.get("ROSTER_DATA_DIR"), "value")).startsWith("/var/lib/roster/");
        assertThat((String) at(env.get("ROSTER_INITIAL_CLUSTER_TOKEN"), "value")).isEqualTo("default-roster");
        assertThat(env).doesNotContainKeys("SERVER_SSL_ENABLED", "ROSTER_TLS_DIR");

        // The member list lives in the ConfigMap, so that changing replicas leaves the pod template alone.
        Map<String, Object> config = chart.get("ConfigMap", "roster-config");
        List<String> members = ((String) at(config, "data", "members")).lines().toList();
        assertThat(members).containsExactlyElementsOf(IntStream.range(0, replicas).mapToObj(i -> "roster-" + i
                + " http://roster-" + i + "." + POD_DOMAIN + ":2380 http://roster-" + i + "." + POD_DOMAIN + ":2379").toList());
        assertThat((String) at(config, "data", "bootstrap-replicas")).isEqualTo(Integer.toString(replicas));
        assertThat((String) at(config, "data", "start.sh")).isEqualTo(chartFile("files/tls-truststore.sh") + chartFile("files/start.sh"));
        assertThat(at(statefulSet, "spec", "template").toString()).doesNotContain("members");
    }

    @Test
    void runsAsNonRootOnAReadOnlyRootFilesystemWithAWritableTmp() {
        Map<String, Object> statefulSet = RenderedChart.render(Map.of()).get("StatefulSet", "roster");
        Map<String, Object> pod = at(statefulSet, "spec", "template", "spec");
        assertThat((Boolean) at(pod, "securityContext", "runAsNonRoot")).isTrue();
        assertThat((Integer) at(pod, "securityContext", "runAsUser")).isEqualTo(10001);
        assertThat((Integer) at(pod, "securityContext", "fsGroup")).isEqualTo(10001);
        assertThat((Boolean) at(pod, "automountServiceAccountToken")).isFalse();

        Map<String, Object> container = container(statefulSet);
        assertThat((Boolean) at(container, "securityContext", "readOnlyRootFilesystem")).isTrue();
        assertThat((Boolean) at(container, "securityContext", "runAsNonRoot")).isTrue();
        assertThat((Boolean) at(container, "securityContext", "allowPrivilegeEscalation")).isFalse();
        assertThat((List<String>) at(container, "securityContext", "capabilities", "drop")).containsExactly("ALL");

        List<Map<String, Object>> mounts = at(container, "volumeMounts");
        assertThat(mounts).extracting(mount -> mount.get("name") + ":" + mount.get("mountPath"))
                .contains("data:/var/lib/roster", "tmp:/tmp", "chart:/etc/roster/chart");
        List<Map<String, Object>> volumes = at(pod, "volumes");
        assertThat(volumes).filteredOn(volume -> "tmp".equals(volume.get("name")))
                .singleElement().satisfies(volume -> assertThat(volume).containsKey("emptyDir"));
        assertThat(volumes).filteredOn(volume -> "chart".equals(volume.get("name")))
                .singleElement().satisfies(volume -> assertThat((String) at(volume, "configMap", "name")).isEqualTo("roster-config"));
    }

    @Test
    void spreadsMembersOverNodesSoftlyByDefaultAndAsConfigured() {
        Map<String, Object> soft = at(RenderedChart.render(Map.of()).get("StatefulSet", "roster"), "spec", "template", "spec", "affinity",
                "podAntiAffinity");
        assertThat(soft).containsOnlyKeys("preferredDuringSchedulingIgnoredDuringExecution");
        assertThat((String) at(soft, "preferredDuringSchedulingIgnoredDuringExecution", 0, "podAffinityTerm", "topologyKey"))
                .isEqualTo("kubernetes.io/hostname");
        assertThat((Map<String, Object>) at(soft, "preferredDuringSchedulingIgnoredDuringExecution", 0, "podAffinityTerm", "labelSelector",
                "matchLabels")).containsEntry("app.kubernetes.io/instance", "roster");

        Map<String, Object> hard = at(RenderedChart.render(Map.of("podAntiAffinity.type", "hard", "podAntiAffinity.topologyKey",
                "topology.kubernetes.io/zone")).get("StatefulSet", "roster"), "spec", "template", "spec", "affinity", "podAntiAffinity");
        assertThat(hard).containsOnlyKeys("requiredDuringSchedulingIgnoredDuringExecution");
        assertThat((String) at(hard, "requiredDuringSchedulingIgnoredDuringExecution", 0, "topologyKey")).isEqualTo("topology.kubernetes.io/zone");

        assertThat((Object) at(RenderedChart.render(Map.of("podAntiAffinity.type", "none")).get("StatefulSet", "roster"), "spec", "template",
                "spec", "affinity")).isNull();
        assertThatThrownBy(() -> RenderedChart.render(Map.of("podAntiAffinity.type", "sometimes")))
                .hasMessageContaining("podAntiAffinity.type must be soft, hard or none");
    }

    @ParameterizedTest(name = "{0} replicas")
    @ValueSource(ints = {1, 3, 5})
    void servicesPublishPeersBeforeTheyAreReadyAndClientsOnlyToReadyMembers(int replicas) {
        RenderedChart chart = RenderedChart.render(Map.of("replicas", replicas));
        Map<String, Object> headless = chart.get("Service", HEADLESS);
        assertThat((String) at(headless, "spec", "clusterIP")).isEqualTo("None");
        assertThat((Boolean) at(headless, "spec", "publishNotReadyAddresses")).isTrue();
        assertThat((List<Map<String, Object>>) at(headless, "spec", "ports")).extracting(port -> port.get("name") + "=" + port.get("port"))
                .containsExactly("client=2379", "peer=2380");

        Map<String, Object> client = chart.get("Service", "roster");
        assertThat((String) at(client, "spec", "type")).isEqualTo("ClusterIP");
        assertThat((Object) at(client, "spec", "publishNotReadyAddresses")).isNull();
        assertThat((List<Map<String, Object>>) at(client, "spec", "ports")).extracting(port -> port.get("name") + "=" + port.get("port"))
                .containsExactly("client=2379");
        Map<String, Object> podLabels = at(chart.get("StatefulSet", "roster"), "spec", "template", "metadata", "labels");
        assertThat(podLabels).containsAllEntriesOf(at(client, "spec", "selector")).containsAllEntriesOf(at(headless, "spec", "selector"));
    }

    @ParameterizedTest(name = "{0} replicas")
    @ValueSource(ints = {1, 3, 5})
    void disruptionBudgetKeepsAMajority(int replicas) {
        Map<String, Object> pdb = RenderedChart.render(Map.of("replicas", replicas)).get("PodDisruptionBudget", "roster");
        int maxUnavailable = at(pdb, "spec", "maxUnavailable");
        assertThat(maxUnavailable).isEqualTo((replicas - 1) / 2);
        assertThat(replicas - maxUnavailable).as("members left during a disruption").isGreaterThanOrEqualTo(replicas / 2 + 1);
        assertThat((Map<String, Object>) at(pdb, "spec", "selector", "matchLabels")).containsEntry("app.kubernetes.io/name", "roster");
    }

    @Test
    void monitoringResourcesOnlyWhenEnabledWithTheRepositorysAlertRules() throws Exception {
        RenderedChart plain = RenderedChart.render(Map.of());
        assertThat(plain.ofKind("ServiceMonitor")).isEmpty();
        assertThat(plain.ofKind("PrometheusRule")).isEmpty();

        RenderedChart monitored = RenderedChart.render(Map.of("metrics.serviceMonitor.enabled", true,
                "metrics.prometheusRule.enabled", true, "metrics.prometheusRule.labels.release", "kube-prometheus"));
        Map<String, Object> monitor = monitored.get("ServiceMonitor", "roster");
        assertThat((String) at(monitor, "spec", "endpoints", 0, "path")).isEqualTo("/actuator/prometheus");
        assertThat((String) at(monitor, "spec", "endpoints", 0, "port")).isEqualTo("client");
        assertThat((Map<String, Object>) at(monitor, "spec", "selector", "matchLabels")).containsEntry("roster.io/service", "headless");
        assertThat((Map<String, Object>) at(monitored.get("Service", HEADLESS), "metadata", "labels")).containsEntry("roster.io/service", "headless");

        Map<String, Object> rule = monitored.get("PrometheusRule", "roster");
        assertThat((Map<String, Object>) at(rule, "metadata", "labels")).containsEntry("release", "kube-prometheus");
        Map<String, Object> alerts = new Yaml(new LoaderOptions()).load(Files.readString(Path.of("monitoring/prometheus/roster-alerts.yml")));
        assertThat((Object) at(rule, "spec")).isEqualTo(alerts);
        assertThat(rule.toString()).contains("{{ $labels.instance }}");
    }

    @Test
    void chartsCopyOfTheAlertRulesIsTheRepositorysFile() throws Exception {
        // One source of truth: monitoring/prometheus/roster-alerts.yml. Helm packages only files inside the
        // chart, so the chart carries a copy; after editing the rules, copy them: cp monitoring/prometheus/roster-alerts.yml helm/files/
        assertThat(chartFile("files/roster-alerts.yml")).isEqualTo(Files.readString(Path.of("monitoring/prometheus/roster-alerts.yml")));
    }

    @Test
    void tlsServesHttpsOnTheClientPortFromTheSecret() {
        RenderedChart chart = RenderedChart.render(Map.of("tls.enabled", true, "tls.secretName", "roster-tls",
                "metrics.serviceMonitor.enabled", true));
        Map<String, Object> statefulSet = chart.get("StatefulSet", "roster");
        Map<String, Object> container = container(statefulSet);
        assertProbe(container, "startupProbe", "/actuator/health/liveness", "HTTPS");
        assertProbe(container, "readinessProbe", "/actuator/health/readiness", "HTTPS");
        assertProbe(container, "livenessProbe", "/actuator/health/liveness", "HTTPS");
        Map<String, Map<String, Object>> env = env(container);
        assertThat((String) at(env.get("SERVER_SSL_ENABLED"), "value")).isEqualTo("true");
        assertThat((String) at(env.get("SERVER_SSL_CERTIFICATE"), "value")).isEqualTo("/etc/roster/tls/tls.crt");
        assertThat((String) at(env.get("SERVER_SSL_CERTIFICATE_PRIVATE_KEY"), "value")).isEqualTo("/etc/roster/tls/tls.key");
        assertThat((String) at(env.get("ROSTER_TLS_DIR"), "value")).isEqualTo("/etc/roster/tls");
        List<Map<String, Object>> volumes = at(statefulSet, "spec", "template", "spec", "volumes");
        assertThat(volumes).filteredOn(volume -> "tls".equals(volume.get("name"))).singleElement()
                .satisfies(volume -> assertThat((String) at(volume, "secret", "secretName")).isEqualTo("roster-tls"));

        // Clients and the hook use https; Raft between members stays plain unless peerTls is on.
        List<String> members = ((String) at(chart.get("ConfigMap", "roster-config"), "data", "members")).lines().toList();
        assertThat(members).allSatisfy(line -> {
            String[] fields = line.split(" ");
            assertThat(fields[1]).startsWith("http://");
            assertThat(fields[2]).startsWith("https://");
        });
        assertThat((String) at(chart.get("ServiceMonitor", "roster"), "spec", "endpoints", 0, "scheme")).isEqualTo("https");
        Map<String, Object> job = RenderedChart.renderWithHooks(Map.of("tls.enabled", true, "tls.secretName", "roster-tls"))
                .get("Job", "roster-scale-down");
        assertThat((String) at(env(container(job)).get("ROSTERCTL_ENDPOINTS"), "value")).doesNotContain("http:").contains("https://");

        assertThatThrownBy(() -> RenderedChart.render(Map.of("tls.enabled", true)))
                .hasMessageContaining("tls.secretName is required");
    }

    @Test
    void peerTlsGivesEveryMemberHttpsPeerUrlsAndTheCertManagerSecretsFiles() {
        RenderedChart chart = RenderedChart.render(Map.of("peerTls.enabled", true, "peerTls.secretName", "roster-peer-tls",
                "peerTls.allowedCn[0]", "roster-peer", "peerTls.allowedCn[1]", "roster-peer-next"));
        Map<String, Object> statefulSet = chart.get("StatefulSet", "roster");
        Map<String, Map<String, Object>> env = env(container(statefulSet));
        assertThat((String) at(env.get("ROSTER_PEER_CERT_FILE"), "value")).isEqualTo("/etc/roster/peer-tls/tls.crt");
        assertThat((String) at(env.get("ROSTER_PEER_KEY_FILE"), "value")).isEqualTo("/etc/roster/peer-tls/tls.key");
        assertThat((String) at(env.get("ROSTER_PEER_TRUSTED_CA_FILE"), "value")).isEqualTo("/etc/roster/peer-tls/ca.crt");
        assertThat((String) at(env.get("ROSTER_PEER_CERT_ALLOWED_CN"), "value")).isEqualTo("roster-peer,roster-peer-next");
        List<Map<String, Object>> volumes = at(statefulSet, "spec", "template", "spec", "volumes");
        assertThat(volumes).filteredOn(volume -> "peer-tls".equals(volume.get("name"))).singleElement()
                .satisfies(volume -> assertThat((String) at(volume, "secret", "secretName")).isEqualTo("roster-peer-tls"));
        List<Map<String, Object>> mounts = at(container(statefulSet), "volumeMounts");
        assertThat(mounts).filteredOn(mount -> "peer-tls".equals(mount.get("name"))).singleElement()
                .satisfies(mount -> assertThat(mount).containsEntry("mountPath", "/etc/roster/peer-tls")
                        .containsEntry("readOnly", true).doesNotContainKey("subPath"));

        List<String> members = ((String) at(chart.get("ConfigMap", "roster-config"), "data", "members")).lines().toList();
        assertThat(members).hasSize(3).allSatisfy(line -> {
            String[] fields = line.split(" ");
            assertThat(fields[1]).startsWith("https://");
            assertThat(fields[2]).as("the client port is not TLS unless tls.enabled").startsWith("http://");
        });
        Map<String, Map<String, Object>> plain = env(container(RenderedChart.render(Map.of()).get("StatefulSet", "roster")));
        assertThat(plain).doesNotContainKeys("ROSTER_PEER_CERT_FILE", "ROSTER_PEER_CERT_ALLOWED_CN");
        assertThatThrownBy(() -> RenderedChart.render(Map.of("peerTls.enabled", true)))
                .hasMessageContaining("peerTls.secretName is required");
    }

    @Test
    void clientCertificatesAreAskedForWithTheTlsSecretsCaOrTheirOwn() {
        Map<String, Object> statefulSet = RenderedChart.render(Map.of("tls.enabled", true, "tls.secretName", "roster-tls",
                "tls.clientAuth", "want")).get("StatefulSet", "roster");
        Map<String, Map<String, Object>> env = env(container(statefulSet));
        assertThat((String) at(env.get("SERVER_SSL_CLIENT_AUTH"), "value")).isEqualTo("want");
        assertThat((String) at(env.get("SERVER_SSL_TRUST_CERTIFICATE"), "value")).isEqualTo("/etc/roster/tls/ca.crt");

        Map<String, Object> ownCa = RenderedChart.render(Map.of("tls.enabled", true, "tls.secretName", "roster-tls",
                "tls.clientAuth", "want", "tls.clientCaSecretName", "client-ca")).get("StatefulSet", "roster");
        assertThat((String) at(env(container(ownCa)).get("SERVER_SSL_TRUST_CERTIFICATE"), "value")).isEqualTo("/etc/roster/client-ca/ca.crt");
        List<Map<String, Object>> volumes = at(ownCa, "spec", "template", "spec", "volumes");
        assertThat(volumes).filteredOn(volume -> "client-ca".equals(volume.get("name"))).singleElement()
                .satisfies(volume -> assertThat((String) at(volume, "secret", "secretName")).isEqualTo("client-ca"));
        List<Map<String, Object>> mounts = at(container(ownCa), "volumeMounts");
        assertThat(mounts).filteredOn(mount -> "client-ca".equals(mount.get("name"))).singleElement()
                .satisfies(mount -> assertThat(mount).containsEntry("mountPath", "/etc/roster/client-ca"));

        assertThat(env(container(RenderedChart.render(Map.of("tls.enabled", true, "tls.secretName", "roster-tls"))
                .get("StatefulSet", "roster")))).doesNotContainKeys("SERVER_SSL_CLIENT_AUTH", "SERVER_SSL_TRUST_CERTIFICATE");
        assertThatThrownBy(() -> RenderedChart.render(Map.of("tls.enabled", true, "tls.secretName", "roster-tls", "tls.clientAuth", "need")))
                .hasMessageContaining("kubelet's HTTPS probes");
        assertThatThrownBy(() -> RenderedChart.render(Map.of("tls.enabled", true, "tls.secretName", "roster-tls", "tls.clientAuth", "maybe")))
                .hasMessageContaining("none or want");
    }

    @Test
    void authGivesTheMembersAndTheHookTheTokensFromTheSecret() {
        Map<String, Object> values = Map.of("auth.enabled", true, "auth.secretName", "roster-auth");
        RenderedChart chart = RenderedChart.renderWithHooks(values);
        for (Map<String, Object> workload : List.of(chart.get("StatefulSet", "roster"), chart.get("Job", "roster-scale-down"))) {
            Map<String, Object> tokens = env(container(workload)).get("ROSTER_AUTH_TOKENS");
            assertThat((String) at(tokens, "valueFrom", "secretKeyRef", "name")).isEqualTo("roster-auth");
            assertThat((String) at(tokens, "valueFrom", "secretKeyRef", "key")).isEqualTo("token");
        }
        // Probes stay on the open health endpoints, so they need no token.
        assertProbe(container(chart.get("StatefulSet", "roster")), "readinessProbe", "/actuator/health/readiness", "HTTP");

        Map<String, Object> otherKey = RenderedChart.render(Map.of("auth.enabled", true, "auth.secretName", "roster-auth",
                "auth.secretKey", "client-token")).get("StatefulSet", "roster");
        assertThat((String) at(env(container(otherKey)).get("ROSTER_AUTH_TOKENS"), "valueFrom", "secretKeyRef", "key"))
                .isEqualTo("client-token");
        assertThat(env(container(RenderedChart.render(Map.of()).get("StatefulSet", "roster")))).doesNotContainKey("ROSTER_AUTH_TOKENS");
        assertThatThrownBy(() -> RenderedChart.render(Map.of("auth.enabled", true)))
                .hasMessageContaining("auth.secretName is required");
    }

    @Test
    void scaleDownHookRemovesMembersBeyondReplicasBeforeUpgradesAndRollbacks() {
        Map<String, Object> job = RenderedChart.renderWithHooks(Map.of("replicas", 3)).get("Job", "roster-scale-down");
        assertThat((Map<String, Object>) at(job, "metadata", "annotations"))
                .containsEntry("test.roster.io/hook", "pre-upgrade,pre-rollback")
                .containsEntry("helm.sh/hook-delete-policy", "before-hook-creation,hook-succeeded");
        Map<String, Object> container = container(job);
        List<String> command = at(container, "command");
        assertThat(command.subList(0, 2)).containsExactly("/bin/bash", "-c");
        assertThat(command.get(2)).isEqualTo(chartFile("files/tls-truststore.sh") + chartFile("files/scale-down.sh"));
        Map<String, Map<String, Object>> env = env(container);
        assertThat((String) at(env.get("ROSTER_REPLICAS"), "value")).isEqualTo("3");
        assertThat((String) at(env.get("ROSTER_STATEFULSET"), "value")).isEqualTo("roster");
        assertThat(((String) at(env.get("ROSTERCTL_ENDPOINTS"), "value")).split(",")).containsExactly(
                "http://roster-0." + POD_DOMAIN + ":2379", "http://roster-1." + POD_DOMAIN + ":2379",
                "http://roster-2." + POD_DOMAIN + ":2379", "http://roster.default.svc.cluster.local:2379");
        assertThat((Boolean) at(container, "securityContext", "readOnlyRootFilesystem")).isTrue();

        assertThat(RenderedChart.render(Map.of()).ofKind("Job")).as("a hook is not part of the installed manifest").isEmpty();
        assertThat(RenderedChart.renderWithHooks(Map.of("scaleDownHook.enabled", false)).ofKind("Job")).isEmpty();
    }

    @Test
    void persistenceCanBeTurnedOffAndExtraEnvReachesTheServer() {
        Map<String, Object> statefulSet = RenderedChart.render(Map.of("persistence.enabled", false,
                "extraEnv[0].name", "ROSTER_RAFT_ELECTION_TIMEOUT", "extraEnv[0].value", "2s")).get("StatefulSet", "roster");
        assertThat((Object) at(statefulSet, "spec", "volumeClaimTemplates")).isNull();
        List<Map<String, Object>> volumes = at(statefulSet, "spec", "template", "spec", "volumes");
        assertThat(volumes).filteredOn(volume -> "data".equals(volume.get("name"))).singleElement()
                .satisfies(volume -> assertThat(volume).containsKey("emptyDir"));
        assertThat((String) at(env(container(statefulSet)).get("ROSTER_RAFT_ELECTION_TIMEOUT"), "value")).isEqualTo("2s");
    }

    @Test
    void readmeDocumentsEveryValue() throws Exception {
        Map<String, Object> values = new Yaml(new LoaderOptions()).load(chartFile("values.yaml"));
        List<String> keys = new ArrayList<>();
        collectKeys("", values, keys);
        String readme = chartFile("README.md");
        assertThat(keys).isNotEmpty().allSatisfy(key -> assertThat(readme).as("helm/README.md documents `%s`", key)
                .contains("`" + key + "`"));
    }

    /** Every key, nested ones as dotted paths (what --set takes), maps included as well as their leaves. */
    private static void collectKeys(String prefix, Map<String, Object> map, List<String> keys) {
        map.forEach((key, value) -> {
            String path = prefix + key;
            keys.add(path);
            if (value instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, Object> children = (Map<String, Object>) nested;
                collectKeys(path + ".", children, keys);
            }
        });
    }

    private static void assertProbe(Map<String, Object> container, String probe, String path, String scheme) {
        assertThat((String) at(container, probe, "httpGet", "path")).as(probe).isEqualTo(path);
        assertThat((String) at(container, probe, "httpGet", "port")).as(probe).isEqualTo("client");
        assertThat((String) at(container, probe, "httpGet", "scheme")).as(probe).isEqualTo(scheme);
    }

    private static String chartFile(String path) {
        try {
            return Files.readString(RenderedChart.chartDir().resolve(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
