package io.roster.process;

import io.roster.testing.Directories;
import io.roster.testing.ProcessCluster;
import io.roster.testing.RosterHttp;
import io.roster.testing.RosterProcess;
import io.roster.testing.SmallDisk;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A member whose disk fills: JRaft stops it for good, so it must say so on every request and in liveness
 * (not answer 500s, not look alive forever), and once restarted with space again it must come back with its
 * log intact, holding every write the cluster acknowledged meanwhile.
 */
class DiskFullIT {

    private static final Duration READY = Duration.ofSeconds(90);

    @Test
    void aMemberWhoseDiskFillsRefusesClearlyAndComesBackWithItsLogIntactOnceRestarted(TestInfo test) throws Exception {
        Path dataRoot = Files.createTempDirectory("roster-disk-full-");
        SmallDisk.Mounted mounted = SmallDisk.mount(dataRoot.resolve("n3"), 64);
        Assumptions.assumeTrue(mounted.disk().isPresent(), mounted.whyNot());
        try (SmallDisk disk = mounted.disk().get();
             ProcessCluster cluster = ProcessCluster.builder().members(3).dataRoot(dataRoot)
                     .logDir(RosterProcess.logDirFor(getClass(), test.getTestMethod().orElseThrow().getName())).build()) {
            cluster.start().awaitReady(READY);
            RosterProcess n1 = cluster.member("n1");
            RosterProcess n2 = cluster.member("n2");
            RosterProcess n3 = cluster.member("n3");
            List<String> acknowledged = new ArrayList<>();
            write(List.of(n1, n2), "before", 20, acknowledged);

            disk.fill();
            await("n3 fails to write its log and says so in liveness").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                        write(List.of(n1, n2), "while-full", 1, acknowledged);
                        assertThat(n3.client().request("GET", "/actuator/health/liveness", null).status()).isEqualTo(503);
                    });
            RosterHttp.Reply refused = n3.client().kvGet(acknowledged.get(0), null);
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.json().path("detail").asString()).contains("stopped after a failure of its log", "restart");
            assertThat(refused.json().path("mayHaveApplied").asBoolean(true)).isFalse();
            assertThat(n3.client().readiness().status()).isEqualTo(503);
            RosterHttp.Reply health = n3.client().request("GET", "/actuator/health", null);
            assertThat(health.status()).as("the health document of a stopped member: %s", health.body()).isEqualTo(503);
            write(List.of(n1, n2), "without-n3", 20, acknowledged);

            disk.free();
            n3.kill9();
            n3.restart().waitReady(READY);
            await("n3 holds every acknowledged write").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (String key : acknowledged) {
                    RosterHttp.Reply read = n3.client().kvGet(key, RosterHttp.SERIALIZABLE);
                    assertThat(read.status()).as("%s on n3: %s", key, read.body()).isEqualTo(200);
                    assertThat(read.string("value")).isEqualTo(key);
                }
            });
            RosterHttp.Reply written = n3.client().kvPut("after/restart", "ok");
            assertThat(written.status()).as(written.body()).isEqualTo(200);
        } finally {
            Directories.deleteQuietly(dataRoot);
        }
    }

    /** Puts {@code count} keys through the first member that takes them; each key's value is its name. */
    private static void write(List<RosterProcess> via, String prefix, int count, List<String> acknowledged) {
        for (int i = 0; i < count; i++) {
            String key = prefix + "/" + acknowledged.size();
            boolean taken = false;
            for (RosterProcess member : via) {
                RosterHttp.Reply response = member.client().request("PUT", "/v1/kv/" + key, Map.of("value", key));
                if (response.status() == 200) {
                    acknowledged.add(key);
                    taken = true;
                    break;
                }
            }
            assertThat(taken).as("a write of %s through %s", key, via).isTrue();
        }
    }
}
