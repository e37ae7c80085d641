package io.roster.helm;

import io.roster.testing.Directories;
import io.roster.testing.RosterHttp;
import io.roster.testing.TestCertificates;
import io.roster.testing.RosterProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chart's bootstrap and scaling, run for real: the rendered StatefulSet's pods and the rendered
 * scale-down hook run as local processes ({@link ChartPods}) through the chart's own start script, with the
 * server jar under test and the repository's rosterctl. What users install is what starts here.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class HelmBootstrapIT {

    private static final Duration READY = Duration.ofSeconds(120);

    @Test
    void bootstrapsThreeThenScalesUpToFourAndDownToThree(TestInfo test) throws Exception {
        try (ChartPods pods = new ChartPods(4, logDir(test))) {
            // helm install --set replicas=3: the three pods start at once (podManagementPolicy: Parallel).
            RenderedChart three = RenderedChart.render(Map.of("replicas", 3));
            List<ChartPods.Pod> bootstrap = IntStream.range(0, 3).mapToObj(ordinal -> pods.start(three, ordinal)).toList();
            bootstrap.forEach(pod -> pod.awaitReady(READY));

            assertOneLeader(bootstrap);
            List<JsonNode> members = members(pods.pod(0));
            assertThat(members).extracting(member -> member.path("name").asString())
                    .containsExactlyInAnyOrder("roster-0", "roster-1", "roster-2");
            assertThat(members).allSatisfy(member -> assertThat(member.path("status").asString()).isEqualTo("started"));
            // Peer URLs are the pods' stable DNS names through the headless Service.
            assertThat(members).extracting(member -> member.path("peerUrls").get(0).asString())
                    .containsExactlyInAnyOrder(pods.peerUrl(0), pods.peerUrl(1), pods.peerUrl(2));
            assertWriteThenRead(pods.pod(0), pods.pod(2), "helm/bootstrap", "three");

            // helm upgrade --set replicas=4: only the new pod starts; it joins through the membership API.
            RenderedChart four = RenderedChart.render(Map.of("replicas", 4));
            ChartPods.Pod fourth = pods.start(four, 3).awaitReady(READY);
            assertThat(fourth.log()).contains("adding roster-3 to the cluster").contains("initial-cluster-state=existing")
                    .contains("peers over plain TCP");
            await("roster-3 becomes a voting member").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode joined = memberNamed(members(pods.pod(1)), "roster-3");
                assertStartedVoter(joined);
                assertThat(joined.path("peerUrls").get(0).asString()).isEqualTo(pods.peerUrl(3));
            });
            assertThat(members(pods.pod(0))).hasSize(4);
            String firstId = memberNamed(members(pods.pod(0)), "roster-3").path("id").asString();
            RosterHttp.Reply readOnNewMember = fourth.client().kvGet("helm/bootstrap", RosterHttp.LINEARIZABLE);
            assertThat(readOnNewMember.status()).as(readOnNewMember.body()).isEqualTo(200);
            assertThat(readOnNewMember.string("value")).isEqualTo("three");
            assertWriteThenRead(fourth, pods.pod(0), "helm/scaled-up", "four");

            // helm upgrade --set replicas=3: the pre-upgrade hook removes roster-3, then the StatefulSet deletes its pod.
            ChartPods.JobRun hook = pods.runJob(RenderedChart.renderWithHooks(Map.of("replicas", 3)), "roster-scale-down",
                    Duration.ofSeconds(120));
            assertThat(hook.exitCode()).as(hook.output()).isZero();
            assertThat(hook.output()).contains("removing roster-3");
            for (int ordinal = 0; ordinal < 3; ordinal++) {
                ChartPods.Pod survivor = pods.pod(ordinal);
                await(survivor.name() + " lists three members").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(members(survivor)).extracting(member -> member.path("name").asString())
                                .containsExactlyInAnyOrder("roster-0", "roster-1", "roster-2"));
            }
            await("the removed member refuses requests").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(fourth.client().kvGet("helm/bootstrap", null).status()).isEqualTo(410));
            fourth.stop();
            assertWriteThenRead(pods.pod(1), pods.pod(0), "helm/scaled-down", "three again");
            // Running the hook again (any later upgrade) finds nothing to remove.
            ChartPods.JobRun again = pods.runJob(RenderedChart.renderWithHooks(Map.of("replicas", 3)), "roster-scale-down",
                    Duration.ofSeconds(120));
            assertThat(again.exitCode()).as(again.output()).isZero();
            assertThat(again.output()).contains("nothing to remove");

            // A restarted member (data dir present) just restarts.
            ChartPods.Pod second = pods.pod(1);
            second.kill9();
            assertThat(pods.start(three, 1).awaitReady(READY).log()).contains("roster-1 restarts as member");
            assertThat(memberNamed(members(pods.pod(0)), "roster-1").path("id").asString())
                    .isEqualTo(memberNamed(members, "roster-1").path("id").asString());

            // Scaling up again reuses roster-3's volume, which holds the removed member's data dir: the
            // script moves it aside and joins as a new member.
            ChartPods.Pod readded = pods.start(four, 3).awaitReady(READY);
            assertThat(readded.log()).contains("was removed from the cluster");
            try (Stream<Path> entries = Files.list(readded.volume("data"))) {
                assertThat(entries.map(path -> path.getFileName().toString())).anyMatch(name -> name.startsWith("data.removed-"));
            }
            await("roster-3 is a member again").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode rejoined = memberNamed(members(pods.pod(2)), "roster-3");
                assertStartedVoter(rejoined);
                assertThat(rejoined.path("id").asString()).as("a new member id").isNotEqualTo(firstId);
            });
            RosterHttp.Reply readAfterRejoin = readded.client().kvGet("helm/scaled-down", RosterHttp.LINEARIZABLE);
            assertThat(readAfterRejoin.string("value")).as(readAfterRejoin.body()).isEqualTo("three again");
        }
    }

    @Test
    void aBootstrapMemberStartingLateJoinsAndAPodWithALostVolumeReplacesItsMember(TestInfo test) throws Exception {
        try (ChartPods pods = new ChartPods(3, logDir(test))) {
            // Two of three bootstrap members are a quorum: they elect a leader before roster-0 runs its script.
            RenderedChart three = RenderedChart.render(Map.of("replicas", 3));
            List.of(pods.start(three, 1), pods.start(three, 2)).forEach(pod -> pod.awaitReady(READY));
            // The leader records the bootstrap members it has not heard from as unstarted.
            JsonNode unstarted = await("roster-0 listed as an unstarted member").atMost(Duration.ofSeconds(30))
                    .until(() -> members(pods.pod(1)).stream()
                            .filter(member -> member.path("peerUrls").toString().contains(pods.peerUrl(0))).findFirst().orElse(null),
                            member -> member != null);
            assertThat(unstarted.path("status").asString()).as(unstarted.toString()).isEqualTo("unstarted");

            ChartPods.Pod late = pods.start(three, 0).awaitReady(READY);
            assertThat(late.log()).contains("not started yet: joining as it").doesNotContain("adding roster-0");
            await("roster-0 started as the bootstrap member it is").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode joined = memberNamed(members(pods.pod(2)), "roster-0");
                assertThat(joined.path("id").asString()).isEqualTo(unstarted.path("id").asString());
                assertThat(joined.path("status").asString()).isEqualTo("started");
            });
            assertWriteThenRead(late, pods.pod(1), "helm/late", "joined");

            // roster-2's volume is lost (a new, empty PersistentVolume): the pod replaces its member.
            ChartPods.Pod lost = pods.pod(2);
            String lostId = memberNamed(members(late), "roster-2").path("id").asString();
            lost.kill9();
            Directories.delete(lost.volume("data"));
            ChartPods.Pod replaced = pods.start(three, 2).awaitReady(READY);
            assertThat(replaced.log()).contains("its volume was lost or wiped").contains("adding roster-2 to the cluster");
            await("roster-2 is a new, started voter").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                List<JsonNode> members = members(late);
                assertThat(members).hasSize(3);
                JsonNode member = memberNamed(members, "roster-2");
                assertThat(member.path("id").asString()).isNotEqualTo(lostId);
                assertStartedVoter(member);
            });
            RosterHttp.Reply read = replaced.client().kvGet("helm/late", RosterHttp.LINEARIZABLE);
            assertThat(read.string("value")).as(read.body()).isEqualTo("joined");
        }
    }

    @Test
    void theScaleDownHookRefusesToLoseQuorumAndSoStopsTheUpgrade(TestInfo test) throws Exception {
        try (ChartPods pods = new ChartPods(3, logDir(test))) {
            RenderedChart three = RenderedChart.render(Map.of("replicas", 3));
            IntStream.range(0, 3).mapToObj(ordinal -> pods.start(three, ordinal)).toList().forEach(pod -> pod.awaitReady(READY));
            pods.pod(1).kill9();

            // helm upgrade --set replicas=1 with roster-1 down: removing roster-2 would leave roster-0 and the
            // dead roster-1, no reachable majority. The hook fails, so Helm would not touch the StatefulSet.
            ChartPods.JobRun hook = pods.runJob(RenderedChart.renderWithHooks(Map.of("replicas", 1)), "roster-scale-down",
                    Duration.ofSeconds(120));
            assertThat(hook.exitCode()).as(hook.output()).isEqualTo(5);
            assertThat(hook.output()).contains("removing roster-2");
            assertThat(members(pods.pod(0))).extracting(member -> member.path("name").asString())
                    .containsExactlyInAnyOrder("roster-0", "roster-1", "roster-2");
            assertWriteThenRead(pods.pod(2), pods.pod(0), "helm/still-three", "yes");
        }
    }

    @Test
    void withTlsPeerTlsAndATokenTheMembersServeHttpsAndANewPodJoinsThroughIt(TestInfo test) throws Exception {
        Path certificateDir = Files.createTempDirectory("roster-tls-");
        try (ChartPods pods = new ChartPods(4, logDir(test))) {
            KeyStore keyStore = selfSignedCertificate(certificateDir.resolve("roster.p12"));
            pods.secret("roster-tls", Map.of("tls.crt", pem("CERTIFICATE", keyStore.getCertificate("roster").getEncoded()),
                    "tls.key", pem("PRIVATE KEY", keyStore.getKey("roster", PASSWORD).getEncoded())));
            // Mid-rotation: the members accept both tokens, and the pods' rosterctl sends the first.
            pods.secret("roster-auth", Map.of("token", OLD_TOKEN + "," + NEW_TOKEN));
            // Between members: one certificate for every pod, in cert-manager's Secret layout.
            TestCertificates.Authority peerCa = TestCertificates.authority("roster-peer-ca");
            TestCertificates.PemFiles peer = peerCa.issue("roster-peer", "*.roster-headless.default.svc.cluster.local")
                    .writeTo(certificateDir, "peer");
            pods.secret("roster-peer-tls", Map.of("tls.crt", Files.readString(peer.cert()), "tls.key", Files.readString(peer.key()),
                    "ca.crt", Files.readString(peer.ca())));
            Map<String, Object> secured = Map.of("tls.enabled", true, "tls.secretName", "roster-tls",
                    "auth.enabled", true, "auth.secretName", "roster-auth",
                    "peerTls.enabled", true, "peerTls.secretName", "roster-peer-tls", "peerTls.allowedCn[0]", "roster-peer");

            RenderedChart three = RenderedChart.render(with(secured, "replicas", 3));
            IntStream.range(0, 3).mapToObj(ordinal -> pods.start(three, ordinal)).toList().forEach(pod -> pod.awaitReady(READY));

            // The new pod's script runs rosterctl over HTTPS against the members' DNS names, trusting the
            // Secret's certificate through the trust store it builds, with the token from the auth Secret.
            ChartPods.Pod fourth = pods.start(RenderedChart.render(with(secured, "replicas", 4)), 3).awaitReady(READY);
            assertThat(fourth.log()).contains("adding roster-3 to the cluster").contains("initial-cluster-state=existing")
                    .contains("peers over mutual TLS");

            HttpClient verifying = HttpClient.newBuilder().sslContext(trusting(keyStore)).build();
            URI members = URI.create(fourth.httpsUrl() + "/v1/members");
            HttpResponse<String> anonymous = verifying.send(HttpRequest.newBuilder(members).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(401);
            await("roster-3 is a started voter, as an HTTPS client with the new token sees it").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                HttpResponse<String> answer = verifying.send(HttpRequest.newBuilder(members).header("Authorization", "Bearer " + NEW_TOKEN).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                JsonNode joined = memberNamed(RosterHttp.JSON.readTree(answer.body()).path("members").valueStream().toList(), "roster-3");
                assertStartedVoter(joined);
                assertThat(joined.path("clientUrls").get(0).asString()).startsWith("https://roster-3.");
            });
        } finally {
            Directories.delete(certificateDir);
        }
    }

    private static final String OLD_TOKEN = "helm-old-token-0123456789";
    private static final String NEW_TOKEN = "helm-new-token-9876543210";

    private static final char[] PASSWORD = "roster-test".toCharArray();

    /** A key and self-signed certificate for every pod's DNS name and the client Service, made by the JDK's keytool. */
    private static KeyStore selfSignedCertificate(Path keyStoreFile) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "roster", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "2", "-dname", "CN=roster", "-ext",
                "SAN=dns:*.roster-headless.default.svc.cluster.local,dns:roster.default.svc.cluster.local,ip:127.0.0.1",
                "-keystore", keyStoreFile.toString(), "-storetype", "PKCS12", "-storepass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keyStoreFile)) {
            keyStore.load(in, PASSWORD);
        }
        return keyStore;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static SSLContext trusting(KeyStore keyStore) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("roster", keyStore.getCertificate("roster"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static Map<String, Object> with(Map<String, Object> values, String key, Object value) {
        Map<String, Object> all = new java.util.LinkedHashMap<>(values);
        all.put(key, value);
        return all;
    }

    private static void assertStartedVoter(JsonNode member) {
        assertThat(member.path("status").asString()).as("status of %s", member).isEqualTo("started");
        assertThat(member.path("isLearner").asBoolean()).as("isLearner of %s", member).isFalse();
    }

    private static void assertOneLeader(List<ChartPods.Pod> pods) {
        await("one leader all members agree on").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> leaders = pods.stream().map(pod -> {
                try {
                    return pod.client().status().path("leader").asString();
                } catch (UncheckedIOException e) {
                    throw new AssertionError(pod + ": " + e, e);
                }
            }).distinct().toList();
            assertThat(leaders).hasSize(1).doesNotContainNull();
            assertThat(leaders.get(0)).isNotEmpty();
        });
    }

    private static void assertWriteThenRead(ChartPods.Pod writer, ChartPods.Pod reader, String key, String value) {
        RosterHttp.Reply put = writer.client().kvPut(key, value);
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        RosterHttp.Reply get = reader.client().kvGet(key, RosterHttp.LINEARIZABLE);
        assertThat(get.status()).as(get.body()).isEqualTo(200);
        assertThat(get.string("value")).isEqualTo(value);
    }

    private static List<JsonNode> members(ChartPods.Pod via) {
        RosterHttp.Reply response = via.client().request("GET", "/v1/members", null);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("members").valueStream().toList();
    }

    private static JsonNode memberNamed(List<JsonNode> members, String name) {
        return members.stream().filter(member -> member.path("name").asString().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no member " + name + " in " + members));
    }

    private static Path logDir(TestInfo test) {
        return RosterProcess.logDirFor(HelmBootstrapIT.class, test.getTestMethod().orElseThrow().getName());
    }
}
