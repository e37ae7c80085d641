package io.roster.process;

import io.roster.testing.FreePorts;
import io.roster.testing.ProcessCluster;
import io.roster.testing.RawHttp;
import io.roster.testing.RosterProcess;
import io.roster.testing.EventStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM stops a member that has open watches, and the HEAD requests on watch endpoints that once each
 * left a watcher and a socket behind (issue 14) hold nothing: every stream is ended with a last event
 * that says to resume elsewhere, and the process exits.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GracefulShutdownIT {

    @TempDir
    Path temp;

    @Test
    void sigtermEndsOpenWatchesAndStops(TestInfo test) {
        RosterProcess node = RosterProcess.builder("n1")
                .dataDir(temp.resolve("data"))
                .logDir(RosterProcess.logDirFor(GracefulShutdownIT.class, test.getTestMethod().orElseThrow().getName()))
                .workDir(temp)
                .env("ROSTER_NAME", "n1")
                .env("ROSTER_INITIAL_CLUSTER", "n1=" + ProcessCluster.peerUrl(FreePorts.next()))
                .build();
        List<EventStream> watches = new ArrayList<>();
        try (node) {
            node.start().waitReady(Duration.ofSeconds(90));
            for (int i = 0; i < 50; i++) {
                RawHttp.Response head = new RawHttp(node.clientPort(), Duration.ofSeconds(30)).send("HEAD", "/v1/watch/services", List.of(), null);
                assertThat(head.status()).isEqualTo(200);
            }
            for (String path : List.of("/v1/watch/services", "/v1/watch/services/web", "/v1/watch/kv/config?prefix=true")) {
                EventStream watch = node.client().events(path);
                assertThat(watch.status()).isEqualTo(200);
                watches.add(watch);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> watches.stream().allMatch(watch -> !watch.comments().isEmpty()));

            node.stop(Duration.ofSeconds(60));

            for (EventStream watch : watches) {
                await().atMost(Duration.ofSeconds(10)).until(watch::ended);
                assertThat(watch.events()).as("the last event tells the client to resume elsewhere").last()
                        .satisfies(last -> {
                            assertThat(last.name()).isEqualTo("resume");
                            assertThat(last.data().asString()).contains("shutting down");
                        });
            }
        } finally {
            watches.forEach(EventStream::close);
        }
    }
}
