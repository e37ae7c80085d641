package io.roster.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Volume;
import io.roster.testing.ContainerEngine;
import io.roster.testing.RosterHttp;
import io.roster.testing.RosterProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The image built from the Dockerfile (with {@code JAR_STAGE=prebuilt}, from the jar that {@code package}
 * made) run as users and the Helm chart run it: three members on one network reaching each other by name,
 * with a read-only root file system and only the data volume and /tmp writable; one stops and the other
 * two carry on; a member's data outlives its container on a named volume; and the image keeps the contract
 * the chart relies on (paths, user, entrypoint). Skipped where there is neither Docker nor Podman.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ContainerClusterIT {

    private static final Logger log = LoggerFactory.getLogger(ContainerClusterIT.class);

    private static final int CLIENT_PORT = 2379;
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    /** Small JVMs: three members share two cores with the build. Also shows JAVA_OPTS reaching the JVM. */
    private static final String JAVA_OPTS = "-Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    private static String image;
    /** Images present before the build: the ones that appear besides are the build's stages, removed after. */
    private static Set<String> imagesBefore;
    private final List<GenericContainer<?>> started = new ArrayList<>();

    /** Per test rather than @BeforeAll, so that without an engine each test reports itself skipped, with why. */
    @BeforeEach
    void engineAndImage() {
        ContainerEngine.require();
        buildImageOnce();
    }

    private static synchronized void buildImageOnce() {
        if (image == null) {
            imagesBefore = imageIds();
            // A fresh tag per run, removed after; the base image and dependency layers come from the cache.
            image = new ImageFromDockerfile("localhost/roster-it:" + UUID.randomUUID().toString().substring(0, 8), true)
                    .withDockerfile(ContainerEngine.projectDir().resolve("Dockerfile"))
                    .withBuildArg("JAR_STAGE", "prebuilt")
                    // The start-up cache's training run with a short load: the test checks it is made and
                    // mapped, not how good it is (bench/startup.sh measures that).
                    .withBuildArg("ROSTER_TRAIN_SECONDS", "5")
                    .withBuildArg("JRE_IMAGE", jreImage())
                    .get();
        }
    }

    /**
     * The image, and the untagged stage images the build left (Podman keeps them as its build cache; a
     * BuildKit engine keeps none), newest first since each stage's image is the parent of the next.
     */
    @AfterAll
    static void removeImages() {
        if (image == null) {
            return;
        }
        try {
            docker().removeImageCmd(image).withForce(true).exec();
        } catch (RuntimeException e) {
            // the JVM-exit hook of Testcontainers removes it as well
        }
        docker().listImagesCmd().withShowAll(true).exec().stream()
                .filter(built -> !imagesBefore.contains(built.getId()))
                .filter(built -> built.getRepoTags() == null || Arrays.stream(built.getRepoTags()).allMatch(tag -> tag.startsWith("<none>")))
                .sorted(Comparator.comparing(Image::getCreated).reversed())
                .forEach(built -> {
                    try {
                        docker().removeImageCmd(built.getId()).exec();
                    } catch (RuntimeException e) {
                        // in use by something else after all: leave it
                    }
                });
    }

    /**
     * The Dockerfile's JRE 25 base where the engine has it (scripts/container-engine.sh makes it from this
     * machine's Temurin 25 when no registry is reachable), else the JRE 17 base, which the Dockerfile
     * supports too: a machine without a JDK 25 still tests the image.
     */
    private static String jreImage() {
        String jre25 = "eclipse-temurin:25-jre";
        try {
            docker().inspectImageCmd(jre25).exec();
            return jre25;
        } catch (com.github.dockerjava.api.exception.NotFoundException missing) {
            log.warn("no {} here, so the image is built on eclipse-temurin:17-jre", jre25);
            return "eclipse-temurin:17-jre";
        }
    }

    private static Set<String> imageIds() {
        return docker().listImagesCmd().withShowAll(true).exec().stream().map(Image::getId).collect(Collectors.toSet());
    }

    @Test
    void imageKeepsTheContractTheHelmChartUses() {
        InspectImageResponse inspected = docker().inspectImageCmd(image).exec();
        ContainerConfig config = inspected.getConfig();
        assertThat(config.getUser()).isEqualTo("10001:10001");
        assertThat(config.getEntrypoint()).containsExactly("/opt/roster/bin/roster-server");
        assertThat(config.getEnv()).contains("ROSTER_HOME=/opt/roster", "ROSTER_DATA_DIR=/var/lib/roster");
        assertThat(Arrays.stream(config.getExposedPorts()).map(Object::toString).toList())
                .contains("2379/tcp", "2380/tcp");
        assertThat(config.getVolumes()).containsKey("/var/lib/roster");
        // HEALTHCHECK: Podman's Docker API leaves it out of image inspection; see the cluster test.
    }

    @Test
    void threeMembersOnOneNetworkCarryOnWhenOneStops(TestInfo test) throws Exception {
        String token = "ct-" + UUID.randomUUID().toString().substring(0, 8);
        String initialCluster = "roster1=http://roster1:2380,roster2=http://roster2:2380,roster3=http://roster3:2380";
        Network network = Network.newNetwork();
        try {
            Map<String, GenericContainer<?>> members = new LinkedHashMap<>();
            for (String name : List.of("roster1", "roster2", "roster3")) {
                GenericContainer<?> member = member(name, logDir(test), Map.of(
                        "ROSTER_NAME", name,
                        "ROSTER_INITIAL_CLUSTER", initialCluster,
                        "ROSTER_INITIAL_CLUSTER_STATE", "new",
                        "ROSTER_INITIAL_CLUSTER_TOKEN", token))
                        .withNetwork(network)
                        .withNetworkAliases(name)
                        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withReadonlyRootfs(true))
                        .withTmpFs(Map.of("/tmp", "rw,exec"));
                members.put(name, member);
            }
            // Together: none is ready until a majority is up.
            Startables.deepStart(members.values()).get(3, TimeUnit.MINUTES);
            members.values().forEach(this::awaitReady);

            GenericContainer<?> roster1 = members.get("roster1");
            assertRunsAsTheRosterUser(roster1);
            ExecResult maps = roster1.execInContainer("bash", "-c", "grep -o '/opt/roster/roster-[^ ]*' /proc/1/maps | sort -u");
            assertThat(maps.getStdout()).as("the JVM maps the start-up cache that the image build trained")
                    .containsPattern("/opt/roster/roster-.*\\.(jsa|aot)");
            assertThat(docker().inspectContainerCmd(roster1.getContainerId()).exec().getConfig().getHealthcheck().getTest())
                    .as("the health check a container gets from the image").containsExactly("CMD", "/opt/roster/bin/roster-healthcheck");
            assertThat(roster1.execInContainer("/opt/roster/bin/roster-healthcheck").getExitCode())
                    .as("the image's health check on a ready member").isZero();
            assertThat(roster1.execInContainer("touch", "/opt/roster/x").getExitCode())
                    .as("writing to the read-only root file system").isNotZero();

            RosterHttp.Reply put = client(roster1).kvPut("container-it/a", "one");
            assertThat(put.status()).as("put via roster1: %s", put).isEqualTo(200);
            RosterHttp.Reply read = client(members.get("roster2")).kvGet("container-it/a", RosterHttp.LINEARIZABLE);
            assertThat(read.string("value")).as("linearizable read via roster2: %s", read).isEqualTo("one");

            // rosterctl, inside the container, against its own member; it keeps its CDS archive in /tmp.
            ExecResult ctl = members.get("roster3").execInContainer("rosterctl", "get", "--print-value-only", "container-it/a");
            assertThat(ctl.getExitCode()).as("rosterctl get in roster3: %s", ctl.getStderr()).isZero();
            assertThat(ctl.getStdout().strip()).isEqualTo("one");

            // Stop the leader (SIGTERM, as docker stop does): the other two elect one and carry on.
            GenericContainer<?> leader = leaderOf(members);
            docker().stopContainerCmd(leader.getContainerId()).withTimeout(30).exec();
            assertThat(docker().inspectContainerCmd(leader.getContainerId()).exec().getState().getRunning()).isFalse();
            List<GenericContainer<?>> survivors = members.values().stream().filter(member -> member != leader).toList();
            await("a write through " + name(survivors.get(0)) + " after " + name(leader) + " stopped")
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        try {
                            return client(survivors.get(0)).kvPut("container-it/b", "two").status() == 200;
                        } catch (UncheckedIOException e) {
                            return false;
                        }
                    });
            RosterHttp.Reply afterStop = client(survivors.get(1)).kvGet("container-it/b", RosterHttp.LINEARIZABLE);
            assertThat(afterStop.string("value")).as("read via %s: %s", name(survivors.get(1)), afterStop).isEqualTo("two");
            assertThat(client(survivors.get(1)).kvGet("container-it/a", RosterHttp.LINEARIZABLE).string("value")).isEqualTo("one");
        } finally {
            // Containers before their network: Podman removes a container's port forwarding only while
            // the network still exists.
            stopAll();
            network.close();
        }
    }

    @Test
    void dataOutlivesTheContainerOnTheSameVolume(TestInfo test) throws Exception {
        String volume = "roster-it-" + UUID.randomUUID().toString().substring(0, 8);
        docker().createVolumeCmd().withName(volume).exec();
        Map<String, String> env = Map.of(
                "ROSTER_NAME", "solo",
                "ROSTER_INITIAL_CLUSTER", "solo=http://localhost:2380",
                "ROSTER_INITIAL_CLUSTER_TOKEN", "ct-" + volume);
        Consumer<com.github.dockerjava.api.command.CreateContainerCmd> onVolume =
                cmd -> cmd.getHostConfig().withBinds(new Bind(volume, new Volume("/var/lib/roster")));
        try {
            GenericContainer<?> first = member("solo-1", logDir(test), env).withCreateContainerCmdModifier(onVolume);
            first.start();
            awaitReady(first);
            assertRunsAsTheRosterUser(first);
            String memberId = client(first).status().path("memberId").asString("");
            assertThat(client(first).kvPut("container-it/kept", "across restarts").status()).isEqualTo(200);
            docker().stopContainerCmd(first.getContainerId()).withTimeout(30).exec();
            first.stop();

            GenericContainer<?> second = member("solo-2", logDir(test), env).withCreateContainerCmdModifier(onVolume);
            second.start();
            awaitReady(second);
            assertThat(second.getContainerId()).isNotEqualTo(first.getContainerId());
            assertThat(client(second).status().path("memberId").asString("")).as("member id from the volume").isEqualTo(memberId);
            RosterHttp.Reply kept = client(second).kvGet("container-it/kept", RosterHttp.LINEARIZABLE);
            assertThat(kept.string("value")).as("read after the restart: %s", kept).isEqualTo("across restarts");
        } finally {
            stopAll();
            docker().removeVolumeCmd(volume).exec();
        }
    }

    // ---- helpers ----

    private GenericContainer<?> member(String name, Path logDir, Map<String, String> env) {
        Path log = logDir.resolve(name + ".log");
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                .withEnv(env)
                .withEnv("JAVA_OPTS", JAVA_OPTS)
                .withExposedPorts(CLIENT_PORT)
                .withLogConsumer(frame -> appendLog(log, frame))
                // Liveness, not readiness: a member is alive before a majority is, and ready only after.
                .waitingFor(Wait.forHttp("/actuator/health/liveness").forPort(CLIENT_PORT).forStatusCode(200)
                        .withStartupTimeout(READY_TIMEOUT));
        started.add(container);
        return container;
    }

    private void awaitReady(GenericContainer<?> member) {
        await(name(member) + " ready").atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> {
            try {
                return client(member).readiness().status() == 200;
            } catch (UncheckedIOException e) {
                return false;
            }
        });
    }

    private static GenericContainer<?> leaderOf(Map<String, GenericContainer<?>> members) {
        Map<String, GenericContainer<?>> byId = new LinkedHashMap<>();
        List<String> leaders = new ArrayList<>();
        for (GenericContainer<?> member : members.values()) {
            JsonNode status = client(member).status();
            byId.put(status.path("memberId").asString(""), member);
            leaders.add(status.path("leader").asString(""));
        }
        assertThat(leaders.stream().distinct().toList()).as("leader as each member sees it").hasSize(1);
        return byId.get(leaders.get(0));
    }

    /** PID 1 is the server JVM, started by the entrypoint with the container flags and JAVA_OPTS, as uid 10001. */
    private static void assertRunsAsTheRosterUser(GenericContainer<?> member) throws Exception {
        ExecResult status = member.execInContainer("cat", "/proc/1/status");
        String uids = status.getStdout().lines().filter(line -> line.startsWith("Uid:")).findFirst().orElse("");
        assertThat(uids.split("\\s+")).as("real, effective, saved uid of PID 1: %s", uids)
                .containsExactly("Uid:", "10001", "10001", "10001", "10001");
        String cmdline = member.execInContainer("cat", "/proc/1/cmdline").getStdout().replace('\0', ' ');
        // bin/roster runs $JAVA_HOME/bin/java, with the start-up cache's option (if any) first.
        assertThat(cmdline).matches("\\S*java (-XX:(AOTCache|SharedArchiveFile)=/opt/roster/roster-\\S+ )?"
                        + "-XX:MaxRAMPercentage=75 -XX:\\+ExitOnOutOfMemoryError .*")
                .contains("-XX:+ExitOnOutOfMemoryError " + JAVA_OPTS + " -jar /opt/roster/roster.jar");
        assertThat(member.execInContainer("id", "-u").getStdout().strip()).as("uid of an exec").isEqualTo("10001");
    }

    private static RosterHttp client(GenericContainer<?> member) {
        return new RosterHttp("http://" + member.getHost() + ":" + member.getMappedPort(CLIENT_PORT)).withTimeout(Duration.ofSeconds(5));
    }

    private static String name(GenericContainer<?> member) {
        return member.getNetworkAliases().stream().filter(alias -> alias.startsWith("roster")).findFirst()
                .orElse(member.getContainerName());
    }

    private void stopAll() {
        started.forEach(GenericContainer::stop);
        started.clear();
    }

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    private static Path logDir(TestInfo test) {
        return RosterProcess.logDirFor(ContainerClusterIT.class, test.getTestMethod().orElseThrow().getName());
    }

    private static void appendLog(Path log, OutputFrame frame) {
        try {
            Files.writeString(log, frame.getUtf8String(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
