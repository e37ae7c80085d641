package io.roster.api;

import io.roster.testing.EventStream;
import io.roster.testing.RealNodeTest;
import io.roster.testing.RosterHttp;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Watches opened while other watchers' clients keep leaving. Each client that leaves makes a keep-alive write
 * fail soon after; on Tomcat those failures once ended the next watch opened on the same processor right
 * after its opening comment (about one watch in 20 here). Every watch must get its replay and live events.
 */
@TestPropertySource(properties = "roster.watch.keep-alive-interval=50ms")
class WatchStreamChurnTest extends RealNodeTest {

    private static final int ROUNDS = 40;

    @Test
    void everyWatchGetsItsReplayAndLiveEventsWhileOtherClientsLeave() {
        for (int round = 0; round < ROUNDS; round++) {
            String service = "churn-" + round;
            List<Long> written = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                written.add(register(service, "i" + i));
            }
            try (EventStream leaving = http.events("/v1/watch/services/" + service + "?revision=" + (written.get(0) - 1))) {
                assertThat(leaving.status()).as(leaving.errorBody()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(30)).until(() -> leaving.events().size() >= 4 || leaving.ended());
                assertThat(leaving.events()).as("round %d", round).hasSize(4);
            }
            try (EventStream resumed = http.events("/v1/watch/services/" + service + "?revision=" + written.get(1))) {
                assertThat(resumed.status()).as(resumed.errorBody()).isEqualTo(200);
                long live = register(service, "live");
                await().atMost(Duration.ofSeconds(30)).until(() -> resumed.events().size() >= 3 || resumed.ended());
                assertThat(resumed.events()).as("round %d: ended early: %s, comments %s", round, resumed.ended(), resumed.comments())
                        .extracting(EventStream.Event::revision)
                        .containsExactly(written.get(2), written.get(3), live);
            }
        }
    }

    private long register(String service, String id) {
        RosterHttp.Reply reply = http.put("/v1/services/" + service + "/instances/" + id,
                RosterHttp.json(Map.of("host", "10.1.2.3", "port", 8080, "ttlSeconds", 3600)));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().get("revision").asLong();
    }
}
