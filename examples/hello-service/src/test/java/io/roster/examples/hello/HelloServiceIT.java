package io.roster.examples.hello;

import io.roster.client.Instance;
import io.roster.client.InstanceStatus;
import io.roster.client.LookupQuery;
import io.roster.client.RosterClient;
import io.roster.testkit.FreePorts;
import io.roster.testkit.RosterCluster;
import io.roster.testkit.RosterServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * hello-service.jar as real processes against a real three-member Roster cluster: registration with a 3 s TTL,
 * calls by name, graceful and abrupt ends, configuration changes, and a Roster that is not there at startup.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelloServiceIT {

    private static final String TTL = "--spring.cloud.roster.discovery.ttl=3s";
    private static final Duration STARTUP = Duration.ofSeconds(90);

    private static RosterCluster cluster;
    private static RosterClient roster;

    /** The processes' output, kept after the run (under target/) to read when a test fails. */
    private static Path logs;

    @BeforeAll
    static void startCluster() throws Exception {
        Files.createDirectories(Path.of("target"));
        logs = Files.createTempDirectory(Path.of("target"), "hello-service-it-");
        cluster = RosterCluster.builder().members(3).start();
        roster = RosterClient.builder().endpoints(cluster.endpoints()).build();
    }

    @AfterAll
    static void stopCluster() {
        if (roster != null) {
            roster.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void instancesStayRegisteredCallEachOtherAndLeaveOnStopAndOnKill() throws Exception {
        try (HelloServiceProcess caller = start("caller");
             HelloServiceProcess stopped = start("stopped");
             HelloServiceProcess killed = start("killed")) {
            List<String> all = List.of(caller.instanceId(), stopped.instanceId(), killed.instanceId());
            await().atMost(STARTUP).until(() -> upInstances().containsAll(all));

            // Heartbeats every TTL/3 keep them registered well past their 3 s TTL.
            await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(15))
                    .until(() -> upInstances().containsAll(all));

            assertThat(caller.get("/hello")).isEqualTo(caller.instanceId());
            assertThat(caller.get("/peers")).isEqualTo(json(all));
            Set<String> reached = new HashSet<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                reached.add(caller.get("/call"));
                return reached.containsAll(all);
            });

            stopped.stop();
            await().atMost(Duration.ofSeconds(1)).until(() -> !upInstances().contains(stopped.instanceId())
                    && json(List.of(caller.instanceId(), killed.instanceId())).equals(caller.get("/peers")));

            long killedAt = System.nanoTime();
            killed.kill9();
            await().atMost(Duration.ofSeconds(4)).until(() -> !upInstances().contains(killed.instanceId())
                    && json(List.of(caller.instanceId())).equals(caller.get("/peers")));
            assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(4));
            assertThat(IntStream.range(0, 20).mapToObj(i -> caller.get("/call")))
                    .as("calls after the kill go only to the instance still running").containsOnly(caller.instanceId());
        }
    }

    @Test
    @Order(2)
    void aKeyPutInRosterIsTheGreetingWithinASecond() throws Exception {
        roster.put("config/hello-service/greeting", "first");
        try (HelloServiceProcess hello = start("greeting")) {
            await().atMost(STARTUP).until(() -> hello.get("/greeting") != null);
            assertThat(hello.get("/greeting")).isEqualTo("first");

            roster.put("config/hello-service/greeting", "changed in Roster");

            await().atMost(Duration.ofSeconds(1)).until(() -> "changed in Roster".equals(hello.get("/greeting")));
        }
    }

    @Test
    @Order(3)
    void withFailFastTheApplicationStopsWithOneClearLine() throws Exception {
        String nowhere = "http://127.0.0.1:" + FreePorts.next(); // nothing listens there
        try (HelloServiceProcess hello = HelloServiceProcess.start(logs, "fail-fast", nowhere,
                "--spring.cloud.roster.fail-fast=true")) {
            assertThat(hello.awaitExit(STARTUP)).isNotZero();
            assertThat(hello.output()).containsOnlyOnce("Roster unreachable: no member of [" + nowhere + "] answered while"
                    + " loading configuration under config/hello-service/, and spring.cloud.roster.fail-fast=true stops"
                    + " the application");
        }
    }

    @Test
    @Order(4)
    void withoutFailFastTheApplicationStartsAndRegistersOnceAMemberAnswers() throws Exception {
        RosterServer late = cluster.member(3);
        late.stop();
        try (HelloServiceProcess hello = HelloServiceProcess.start(logs, "late", late.endpoint(), TTL)) {
            await().atMost(STARTUP).until(() -> hello.get("/hello") != null);
            assertThat(upInstances()).doesNotContain(hello.instanceId());
            assertThat(hello.output()).containsOnlyOnce("Roster unreachable: no member of [" + late.endpoint() + "]"
                    + " answered; " + "hello-service/" + hello.instanceId());

            late.restart(STARTUP);

            await().atMost(Duration.ofSeconds(20)).until(() -> upInstances().contains(hello.instanceId()));
            assertThat(occurrences(hello.output(), "Roster unreachable")).as(hello.output())
                    .isEqualTo(2); // one for the configuration, one for the registration; none per retry
        }
    }

    private static HelloServiceProcess start(String name) {
        return HelloServiceProcess.start(logs, name, String.join(",", cluster.endpoints()), TTL);
    }

    private static List<String> upInstances() {
        return roster.lookup("hello-service", LookupQuery.up()).instances().stream()
                .filter(instance -> instance.status() == InstanceStatus.UP).map(Instance::instanceId).toList();
    }

    private static String json(List<String> ids) {
        return ids.stream().sorted().map(id -> "\"" + id + "\"").reduce((a, b) -> a + "," + b)
                .map(list -> "[" + list + "]").orElse("[]");
    }

    private static int occurrences(String text, String part) {
        return (int) Pattern.compile(Pattern.quote(part)).matcher(text).results().count();
    }

}
