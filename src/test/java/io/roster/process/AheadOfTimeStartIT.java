package io.roster.process;

import io.roster.testing.FreePorts;
import io.roster.testing.ProcessCluster;
import io.roster.testing.RosterHttp;
import io.roster.testing.RosterProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The jar starts from the bean definitions its build computed (ADR 0022), and a setting that changes which
 * beans exist still takes effect: the start then computes them itself. A separate management port is the
 * one the operations guide documents.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AheadOfTimeStartIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path temp;

    @Test
    void aPlainStartUsesTheBuildsBeanDefinitions(TestInfo test) {
        try (RosterProcess node = node(test).build()) {
            node.start().waitReady(START_TIMEOUT);

            assertThat(node.output()).contains("Starting AOT-processed RosterApplication");
            assertThat(node.client().kvPut("greeting", "hello").status()).isEqualTo(200);
            assertThat(node.client().kvGet("greeting", null).string("value")).isEqualTo("hello");
        }
    }

    @Test
    void aSeparateManagementPortIsHonoured(TestInfo test) {
        int managementPort = FreePorts.next();
        try (RosterProcess node = node(test).env("MANAGEMENT_SERVER_PORT", Integer.toString(managementPort)).build()) {
            node.start();
            RosterHttp management = new RosterHttp("http://127.0.0.1:" + managementPort).withTimeout(Duration.ofSeconds(2));
            await("readiness on the management port").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .ignoreException(UncheckedIOException.class)
                    .until(() -> management.readiness().status() == 200);

            assertThat(node.client().get("/actuator/health").status()).as("the client port serves no actuator").isEqualTo(404);
            assertThat(node.output()).doesNotContain("AOT-processed")
                    .contains("because management.server.port is set");
        }
    }

    private RosterProcess.Builder node(TestInfo test) {
        return RosterProcess.builder("n1")
                .dataDir(temp.resolve("data"))
                .logDir(RosterProcess.logDirFor(AheadOfTimeStartIT.class, test.getTestMethod().orElseThrow().getName()))
                .workDir(temp)
                .env("ROSTER_NAME", "n1")
                .env("ROSTER_INITIAL_CLUSTER", "n1=" + ProcessCluster.peerUrl(FreePorts.next()));
    }
}
