package io.roster.process;

import io.roster.testing.ProcessCluster;
import io.roster.testing.RosterHttp;
import io.roster.testing.RosterProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rolling upgrade from a previous release to this build, as an operator runs one: three members of the
 * previous release (built from the revision {@code roster.upgrade.from} by {@code scripts/release-jar.sh}),
 * then each in turn stopped and started from this build's jar on its own data dir, followers first. In
 * every mixed state, a write, a heartbeat and a lookup through every member work: new followers forward
 * to an old leader, and, once leadership is moved to a new member, old followers forward to a new
 * leader. At the end every acknowledged write reads back through every member and the instance never
 * expired. Not part of {@code ./mvnw verify}: {@code ./mvnw -Pupgrade verify} (README, "Long suites").
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RollingUpgradeIT {

    private static final Logger log = LoggerFactory.getLogger(RollingUpgradeIT.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(60);
    private static final String SERVICE = "upgrade";
    private static final String INSTANCE = "upgrade-1";
    /** Longer than a member takes to restart on a loaded machine: the instance is renewed at every step only. */
    private static final long TTL_SECONDS = 60;

    @Test
    void membersOfThePreviousReleaseAndOfThisOneServeSideBySide(TestInfo test) throws Exception {
        Path previousJar = previousReleaseJar();
        Path thisJar = RosterProcess.rosterJar();
        Map<String, String> written = new LinkedHashMap<>();
        Set<String> upgraded = new TreeSet<>();
        try (ProcessCluster cluster = ProcessCluster.builder().members(3).jar(previousJar)
                .logDir(RosterProcess.logDirFor(getClass(), test.getTestMethod().orElseThrow().getName())).build()) {
            cluster.start().awaitReady(START_TIMEOUT);
            RosterHttp.Reply registered = RegistryRequests.register(cluster.leader().client(), SERVICE, INSTANCE, TTL_SECONDS, 8080);
            assertThat(registered.status()).as("registration: %s", registered).isEqualTo(201);
            everyMemberServes(cluster, upgraded, written);

            List<RosterProcess> order = new ArrayList<>(cluster.followers());
            order.add(cluster.leader());
            for (int step = 0; step < order.size(); step++) {
                RosterProcess previous = order.get(step);
                previous.stop();
                RosterProcess current = cluster.replace(previous, previous.withJar(thisJar));
                current.start().waitReady(START_TIMEOUT);
                upgraded.add(current.name());
                cluster.awaitLeader(LEADER_TIMEOUT);
                everyMemberServes(cluster, upgraded, written);
                if (step == 1) {
                    // Two of three run this build and the leader the previous one: move leadership to a new member,
                    // so that the old follower left forwards to a new leader.
                    RosterProcess target = cluster.member(order.get(0).name());
                    RosterHttp.Reply moved = cluster.leader().client().request("POST",
                            "/v1/members/" + memberId(cluster, target.name()) + "/transfer-leadership", null);
                    assertThat(moved.status()).as("leadership moved to %s: %s", target.name(), moved).isEqualTo(200);
                    await("leadership on " + target.name()).atMost(LEADER_TIMEOUT).pollInterval(Duration.ofMillis(200))
                            .until(() -> cluster.agreedLeader().map(leader -> leader.name().equals(target.name())).orElse(false));
                    everyMemberServes(cluster, upgraded, written);
                }
            }

            for (RosterProcess member : cluster.members()) {
                for (Map.Entry<String, String> write : written.entrySet()) {
                    RosterHttp.Reply read = member.client().kvGet(write.getKey(), RosterHttp.LINEARIZABLE);
                    assertThat(read.status()).as("read of %s via %s: %s", write.getKey(), member.name(), read).isEqualTo(200);
                    assertThat(read.string("value")).as("%s via %s", write.getKey(), member.name()).isEqualTo(write.getValue());
                }
            }
            log.info("rolling upgrade from {} ({}): {} writes and a heartbeat through every member in each of 5 states",
                    System.getProperty("roster.upgrade.from"), previousJar, written.size());
        }
    }

    /** A write, a heartbeat and a lookup through each member, the leader and the followers alike, all answered. */
    private static void everyMemberServes(ProcessCluster cluster, Set<String> upgraded, Map<String, String> written) {
        RosterProcess leader = cluster.leader();
        String state = describe(cluster, leader, upgraded);
        log.info("checking every member: {}", state);
        for (RosterProcess member : cluster.members()) {
            String key = "upgrade/" + written.size();
            String value = member.name() + " in " + state;
            RosterHttp.Reply put = member.client().kvPut(key, value);
            assertThat(put.status()).as("write via %s (%s): %s", member.name(), state, put).isEqualTo(200);
            written.put(key, value);
            RosterHttp.Reply heartbeat = RegistryRequests.heartbeat(member.client(), SERVICE, INSTANCE);
            assertThat(heartbeat.status()).as("heartbeat via %s (%s): %s", member.name(), state, heartbeat).isEqualTo(200);
            RosterHttp.Reply lookup = RegistryRequests.lookup(member.client(), SERVICE, RosterHttp.LINEARIZABLE);
            assertThat(lookup.status()).as("lookup via %s (%s): %s", member.name(), state, lookup).isEqualTo(200);
            assertThat(RegistryRequests.instanceIds(lookup)).as("instances via %s (%s)", member.name(), state).containsExactly(INSTANCE);
        }
    }

    private static String describe(ProcessCluster cluster, RosterProcess leader, Set<String> upgraded) {
        StringBuilder state = new StringBuilder();
        for (RosterProcess member : cluster.members()) {
            state.append(state.isEmpty() ? "" : ", ").append(member.name()).append(member == leader ? " (leader)" : "")
                    .append(upgraded.contains(member.name()) ? " this build" : " previous");
        }
        return state.toString();
    }

    private static String memberId(ProcessCluster cluster, String name) {
        RosterHttp.Reply members = cluster.leader().client().get("/v1/members");
        assertThat(members.status()).as("member list: %s", members).isEqualTo(200);
        return members.json().path("members").valueStream().filter(member -> member.path("name").asString().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no member " + name + " in " + members)).path("id").asString();
    }

    /** The previous release's jar, built once per revision by scripts/release-jar.sh. */
    private static Path previousReleaseJar() throws IOException, InterruptedException {
        String revision = System.getProperty("roster.upgrade.from", "");
        assertThat(revision).as("roster.upgrade.from (the revision to upgrade from; set by -Pupgrade)").isNotBlank();
        Path basedir = Path.of(System.getProperty("roster.basedir", "."));
        Path jar = basedir.resolve("target/upgrade/roster-" + revision + ".jar");
        Path output = basedir.resolve("target/upgrade/release-jar.log");
        Files.createDirectories(output.getParent());
        Process build = new ProcessBuilder(basedir.resolve("scripts/release-jar.sh").toString(), revision, jar.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(build.waitFor(15, TimeUnit.MINUTES)).as("scripts/release-jar.sh finished").isTrue();
        assertThat(build.exitValue()).as("scripts/release-jar.sh %s: %s", revision, Files.readString(output)).isZero();
        return jar;
    }
}
