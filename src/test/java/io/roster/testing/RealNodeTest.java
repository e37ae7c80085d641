package io.roster.testing;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * One real Roster node (real JRaft, RocksDB log, HTTP on a random port, peer port free, data in a
 * temporary dir), ready before each test. The node stops before its data dir is deleted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
public abstract class RealNodeTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void node(DynamicPropertyRegistry registry) {
        registry.add("roster.data-dir", dataDir::toString);
        registry.add("roster.initial-cluster", () -> "default=http://127.0.0.1:" + FreePorts.next());
        registry.add("roster.raft.election-timeout", () -> "300ms");
    }

    @Value("${local.server.port}")
    protected int port;

    protected RosterHttp http;

    @BeforeEach
    void awaitReadyNode() {
        http = new RosterHttp("http://127.0.0.1:" + port);
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/actuator/health/readiness").status() == 200);
    }
}
