package io.roster.container;

import io.roster.testing.ContainerEngine;
import io.roster.testing.ProcessCluster;
import io.roster.testing.RosterHttp;
import io.roster.testing.FreePorts;
import io.roster.testing.RosterProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bootstrap configuration docker-compose.yml ships, exercised rather than just parsed: each Roster
 * service's environment, with the service host names mapped to loopback and every port (peer, client,
 * published) to a free one consistently, starts a real process from the built jar, and the three form one
 * cluster with one leader that takes a write through one member and serves it through another.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ComposeBootstrapIT {

    /** The client port inside the container: the server's default, which the image does not change. */
    private static final int DEFAULT_CLIENT_PORT = 2379;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    @Test
    void theComposeMembersFormOneClusterThatReplicates(TestInfo test) throws IOException {
        Map<String, Service> services = rosterServices(ContainerEngine.projectDir().resolve("docker-compose.yml"));
        assertThat(services.keySet()).as("Roster services in docker-compose.yml").containsExactly("roster1", "roster2", "roster3");
        formAndReplicate(services, test);
    }

    /**
     * docker-compose.tls.yml over docker-compose.yml, with the certificates scripts/peer-certs.sh makes in the
     * directory the overlay mounts: the members form over mutual TLS.
     */
    @Test
    void theComposeTlsOverlayFormsOneClusterOverMutualTls(TestInfo test, @TempDir Path certs) throws Exception {
        Path project = ContainerEngine.projectDir();
        Map<String, Service> services = rosterServices(project.resolve("docker-compose.yml"));
        Map<String, Map<String, String>> overlay = environments(project.resolve("docker-compose.tls.yml"));
        Map<String, String> mounts = certificateMounts(project.resolve("docker-compose.tls.yml"));
        assertThat(mounts).as("the overlay mounts ./certs read-only").containsEntry("./certs", "/etc/roster/peer");
        Process script = new ProcessBuilder(project.resolve("scripts/peer-certs.sh").toString(), certs.toString(),
                "roster1", "roster2", "roster3").redirectErrorStream(true).start();
        String scriptOutput = new String(script.getInputStream().readAllBytes());
        assertThat(script.waitFor()).as("scripts/peer-certs.sh: %s", scriptOutput).isZero();

        Map<String, Service> secured = new LinkedHashMap<>();
        services.forEach((name, service) -> {
            Map<String, String> env = new LinkedHashMap<>(service.env());
            overlay.getOrDefault(name, Map.of()).forEach((key, value) ->
                    env.put(key, value.replace("/etc/roster/peer", certs.toString())));
            secured.put(name, new Service(name, env, service.published()));
        });
        assertThat(secured.get("roster1").env().get("ROSTER_INITIAL_CLUSTER")).startsWith("roster1=https://");
        assertThat(secured.get("roster1").env()).containsKeys("ROSTER_PEER_CERT_FILE", "ROSTER_PEER_KEY_FILE",
                "ROSTER_PEER_TRUSTED_CA_FILE");
        formAndReplicate(secured, test);
    }

    private void formAndReplicate(Map<String, Service> services, TestInfo test) {

        // One free port per (host, port) the compose file names, so an inconsistent file stays inconsistent.
        Map<String, Integer> freePorts = new HashMap<>();
        Map<String, String> advertised = new LinkedHashMap<>();
        Path logDir = RosterProcess.logDirFor(getClass(), test.getTestMethod().orElseThrow().getName());
        try (ProcessCluster cluster = ProcessCluster.builder().members(0).logDir(logDir).build()) {
            for (Service service : services.values()) {
                Map<String, String> env = new LinkedHashMap<>(service.env());
                int clientPort = freePort(freePorts, service.name(), service.clientPort());
                env.put("SERVER_PORT", Integer.toString(clientPort));
                env.put("ROSTER_INITIAL_CLUSTER", localInitialCluster(env.get("ROSTER_INITIAL_CLUSTER"), services, freePorts));
                if (env.containsKey("ROSTER_ADVERTISE_CLIENT_URL")) {
                    env.put("ROSTER_ADVERTISE_CLIENT_URL", localClientUrl(env.get("ROSTER_ADVERTISE_CLIENT_URL"), services, freePorts));
                    advertised.put(env.get("ROSTER_NAME"), env.get("ROSTER_ADVERTISE_CLIENT_URL"));
                }
                env.remove("ROSTER_DATA_DIR");
                String ownPeer = env.get("ROSTER_INITIAL_CLUSTER").split(env.get("ROSTER_NAME") + "=", 2)[1].split(",")[0];
                RosterProcess member = RosterProcess.builder(service.name())
                        .dataDir(cluster.dataRoot().resolve(service.name()))
                        .logDir(logDir)
                        .workDir(cluster.dataRoot())
                        .clientPort(clientPort)
                        .peerPort(URI.create(ownPeer).getPort())
                        .env(env)
                        .build();
                cluster.add(member);
            }

            cluster.start().awaitReady(READY_TIMEOUT);
            RosterProcess leader = cluster.leader();
            List<String> clusterIds = new ArrayList<>();
            for (RosterProcess member : cluster.members()) {
                clusterIds.add(member.status().path("clusterId").asString(""));
            }
            assertThat(clusterIds.stream().distinct().toList()).as("cluster id of each member").hasSize(1);

            RosterProcess writer = cluster.member("roster1");
            RosterProcess reader = cluster.member("roster3");
            RosterHttp.Reply put = writer.client().kvPut("compose-it/greeting", "hello");
            assertThat(put.status()).as("put via roster1: %s", put).isEqualTo(200);
            RosterHttp.Reply read = reader.client().kvGet("compose-it/greeting", RosterHttp.LINEARIZABLE);
            assertThat(read.string("value")).as("linearizable read via roster3: %s", read).isEqualTo("hello");

            JsonNode members = leader.client().request("GET", "/v1/members", null).json().path("members");
            Map<String, String> listed = new LinkedHashMap<>();
            members.forEach(member -> listed.put(member.path("name").asString(""), member.path("clientUrls").path(0).asString("")));
            assertThat(listed).as("members and the client URLs they advertise").containsExactlyInAnyOrderEntriesOf(advertised);
            assertThat(members.valueStream().filter(member -> member.path("isLeader").asBoolean()).count()).isEqualTo(1);
        }
    }

    /** A Roster service of the compose file: the ones built from this repository's Dockerfile. */
    record Service(String name, Map<String, String> env, Map<Integer, Integer> published) {
        int clientPort() {
            return Integer.parseInt(env.getOrDefault("SERVER_PORT", Integer.toString(DEFAULT_CLIENT_PORT)));
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Service> rosterServices(Path composeFile) throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(composeFile));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        Map<String, Service> roster = new LinkedHashMap<>();
        services.forEach((name, service) -> {
            if (service.containsKey("build")) {
                roster.put(name, new Service(name, environment(service.get("environment")), published(service.get("ports"))));
            }
        });
        return roster;
    }

    /** The environment each service of an overlay file sets (YAML merge keys resolved). */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, String>> environments(Path composeFile) throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(composeFile));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        Map<String, Map<String, String>> environments = new LinkedHashMap<>();
        services.forEach((name, service) -> environments.put(name, environment(service.get("environment"))));
        return environments;
    }

    /** Host directory to container directory, for every bind mount of every service (short syntax, read-only). */
    @SuppressWarnings("unchecked")
    private static Map<String, String> certificateMounts(Path composeFile) throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(composeFile));
        Map<String, String> mounts = new LinkedHashMap<>();
        ((Map<String, Map<String, Object>>) compose.get("services")).values().forEach(service -> {
            for (Object volume : (List<Object>) service.getOrDefault("volumes", List.of())) {
                String[] parts = volume.toString().split(":");
                assertThat(parts).as("volume %s is HOST:CONTAINER:ro", volume).hasSize(3);
                assertThat(parts[2]).isEqualTo("ro");
                mounts.put(parts[0], parts[1]);
            }
        });
        return mounts;
    }

    /** Compose allows a map or a list of KEY=VALUE. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(Object environment) {
        Map<String, String> env = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> map) {
            map.forEach((key, value) -> env.put(key.toString(), value == null ? "" : value.toString()));
        } else if (environment instanceof List<?> list) {
            for (Object entry : list) {
                String[] pair = entry.toString().split("=", 2);
                env.put(pair[0], pair.length > 1 ? pair[1] : "");
            }
        }
        return env;
    }

    /** Published ports, host port to container port, from the short syntax "HOST:CONTAINER[/tcp]". */
    private static Map<Integer, Integer> published(Object ports) {
        Map<Integer, Integer> published = new LinkedHashMap<>();
        if (ports instanceof List<?> list) {
            for (Object entry : list) {
                String[] parts = entry.toString().replace("/tcp", "").split(":");
                assertThat(parts).as("port mapping %s (HOST:CONTAINER expected)", entry).hasSize(2);
                published.put(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
            }
        }
        return published;
    }

    /** Every peer URL {@code http(s)://<service>:<port>} becomes {@code http(s)://127.0.0.1:<free port for it>}. */
    private static String localInitialCluster(String initialCluster, Map<String, Service> services, Map<String, Integer> freePorts) {
        assertThat(initialCluster).as("ROSTER_INITIAL_CLUSTER").isNotBlank();
        return java.util.Arrays.stream(initialCluster.split(",")).map(entry -> {
            String[] pair = entry.split("=", 2);
            URI peer = URI.create(pair[1]);
            assertThat(services).as("peer host of %s is a Roster service", entry).containsKey(peer.getHost());
            return pair[0] + "=" + peer.getScheme() + "://127.0.0.1:" + freePort(freePorts, peer.getHost(), peer.getPort());
        }).collect(Collectors.joining(","));
    }

    /**
     * A client URL on the host ({@code localhost:<published port>}) or on the compose network
     * ({@code <service>:<port>}) becomes the free client port of the service it reaches.
     */
    private static String localClientUrl(String url, Map<String, Service> services, Map<String, Integer> freePorts) {
        URI uri = URI.create(url);
        if (services.containsKey(uri.getHost())) {
            return "http://127.0.0.1:" + freePort(freePorts, uri.getHost(), uri.getPort());
        }
        assertThat(uri.getHost()).as("host of %s", url).isIn("localhost", "127.0.0.1");
        Service target = services.values().stream().filter(service -> service.published().containsKey(uri.getPort()))
                .findFirst().orElseThrow(() -> new AssertionError(url + ": no Roster service publishes port " + uri.getPort()));
        return "http://127.0.0.1:" + freePort(freePorts, target.name(), target.published().get(uri.getPort()));
    }

    private static int freePort(Map<String, Integer> freePorts, String host, int port) {
        return freePorts.computeIfAbsent(host + ":" + port, key -> FreePorts.next());
    }
}
