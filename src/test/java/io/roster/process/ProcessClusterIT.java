package io.roster.process;

import io.roster.testing.ContainerEngine;
import io.roster.testing.ProcessCluster;
import io.roster.testing.RosterClient;
import io.roster.testing.RosterProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The built jar as three OS processes: kill -9 the leader in the middle of a write stream, and check what
 * an operator would: the survivors elect a leader and keep taking writes, the killed member comes back
 * from its data dir and catches up, and every write the cluster acknowledged is on every member.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ProcessClusterIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final String PREFIX = "proc-it/";
    private static final int BUCKETS = 16;

    @Test
    void everyAcknowledgedWriteSurvivesKillingTheLeaderAndReachesAllMembers(TestInfo test) throws Exception {
        try (ProcessCluster cluster = ProcessCluster.builder()
                .members(3)
                .electionTimeout(Duration.ofMillis(1000))
                // As the README shows operators: the shipped application.yml, with ROSTER_* variables on top.
                .arg("--spring.config.additional-location=file:" + ContainerEngine.projectDir().resolve("application.yml"))
                .logDir(RosterProcess.logDirFor(getClass(), test.getTestMethod().orElseThrow().getName()))
                .build()) {
            cluster.start().awaitReady(START_TIMEOUT);
            RosterProcess leader = cluster.leader();
            assertOneClusterOfDistinctMembers(cluster);
            String leaderIdentity = leader.status().path("memberId").asString("");

            Writer writer = new Writer(cluster);
            Thread writerThread = new Thread(writer, "it-writer");
            writerThread.setDaemon(true);
            writerThread.start();
            try {
                // Writes flow through the leader and through followers (which forward to it).
                await("writes acknowledged before the kill").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(writer.ackCount()).isGreaterThanOrEqualTo(50);
                    assertThat(writer.ackedVia()).containsAll(names(cluster.members()));
                });

                long killedAt = System.nanoTime();
                int exit = leader.kill9();
                assertThat(exit).as("exit code of %s after SIGKILL", leader).isEqualTo(137);
                List<RosterProcess> survivors = cluster.running();
                assertThat(survivors).hasSize(2).doesNotContain(leader);

                RosterProcess newLeader = cluster.awaitLeader(Duration.ofSeconds(20));
                assertThat(newLeader).isNotSameAs(leader).isIn(survivors);

                await("writes acknowledged by both survivors after the kill").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    List<Ack> after = writer.acksStartedAfter(killedAt);
                    assertThat(after).hasSizeGreaterThanOrEqualTo(50);
                    assertThat(after.stream().map(Ack::via).collect(Collectors.toSet())).containsAll(names(survivors));
                });
                Ack firstAfterKill = writer.acksStartedAfter(killedAt).get(0);
                Duration unavailable = Duration.ofNanos(firstAfterKill.ackedNanos() - killedAt);
                log("leader %s killed; new leader %s; first write issued after the kill acknowledged %d ms later",
                        leader.name(), newLeader.name(), unavailable.toMillis());
                assertThat(unavailable).as("time from the kill to the first acknowledged write")
                        .isLessThan(Duration.ofSeconds(15));

                // The killed member comes back from its data dir, catches up, and serves writes again.
                leader.restart().waitReady(START_TIMEOUT);
                long readyAt = System.nanoTime();
                assertThat(leader.status().path("memberId").asString("")).as("member id of %s after the restart", leader)
                        .isEqualTo(leaderIdentity);
                await("writes acknowledged through the restarted member").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(writer.acksStartedAfter(readyAt).stream().filter(ack -> ack.via().equals(leader.name())).count())
                                .isGreaterThanOrEqualTo(20));
            } finally {
                writer.stop();
                writerThread.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertThat(writerThread.isAlive()).as("writer thread stopped").isFalse();
            log("writer: %d acknowledged, %d unknown (503 or no answer) out of %d attempts",
                    writer.ackCount(), writer.unknownCount(), writer.attempts());
            assertThat(writer.anomalies()).as("answers other than 200 or 503 to a plain put").isEmpty();

            List<RosterProcess> all = cluster.members();
            assertThat(cluster.running()).containsExactlyInAnyOrderElementsOf(all);
            RosterProcess finalLeader = cluster.leader();
            long commitIndex = commitIndex(finalLeader);
            for (RosterProcess member : all) {
                await(member.name() + " applied up to the leader's commit index " + commitIndex)
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> member.status().path("appliedIndex").asLong(-1) >= commitIndex);
            }

            List<Ack> acks = writer.acks();
            for (RosterProcess member : all) {
                assertHoldsEveryAcknowledgedWrite(member, acks);
            }
            // The writes right around the kill, one key at a time, as a client would read them.
            List<Ack> aroundKill = acks.stream().filter(ack -> ack.seq() >= writer.seqAtKill() - 10
                    && ack.seq() <= writer.seqAtKill() + 10).toList();
            for (RosterProcess member : all) {
                for (Ack ack : aroundKill) {
                    RosterClient.Response read = member.client().get(ack.key(), RosterClient.SERIALIZABLE);
                    assertThat(read.status()).as("serializable GET %s on %s: %s", ack.key(), member.name(), read).isEqualTo(200);
                    assertThat(read.string("value")).as("value of %s on %s", ack.key(), member.name()).isEqualTo(ack.value());
                }
            }

            long maxAckedRevision = acks.stream().mapToLong(Ack::modRevision).max().orElseThrow();
            await("revision converged on every member").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Map<String, Long> revisions = new HashMap<>();
                for (RosterProcess member : all) {
                    revisions.put(member.name(), member.status().path("revision").asLong(-1));
                }
                assertThat(Set.copyOf(revisions.values())).as("revision per member %s", revisions).hasSize(1);
                assertThat(revisions.values().iterator().next()).isGreaterThanOrEqualTo(maxAckedRevision);
            });
        }
    }

    private static void assertOneClusterOfDistinctMembers(ProcessCluster cluster) throws IOException {
        Set<String> clusterIds = new java.util.HashSet<>();
        Set<String> memberIds = new java.util.HashSet<>();
        for (RosterProcess member : cluster.members()) {
            JsonNode status = member.status();
            assertThat(status.path("name").asString("")).isEqualTo(member.name());
            clusterIds.add(status.path("clusterId").asString(""));
            memberIds.add(status.path("memberId").asString(""));
        }
        assertThat(clusterIds).as("cluster ids").hasSize(1);
        assertThat(memberIds).as("member ids").hasSize(cluster.members().size());
    }

    /** One serializable (local) range read per bucket: every acknowledged key, with its value, written exactly once. */
    private static void assertHoldsEveryAcknowledgedWrite(RosterProcess member, List<Ack> acks) throws IOException {
        Map<String, JsonNode> stored = new HashMap<>();
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            RosterClient.Response range = member.client().range(bucketPrefix(bucket), 0, RosterClient.SERIALIZABLE);
            assertThat(range.status()).as("serializable range on %s: %s", member.name(), range).isEqualTo(200);
            assertThat(range.body().path("more").asBoolean(true)).as("range cut short on %s", member.name()).isFalse();
            for (JsonNode kv : range.body().path("kvs")) {
                stored.put(kv.path("key").asString(""), kv);
            }
        }
        List<String> problems = new ArrayList<>();
        for (Ack ack : acks) {
            JsonNode kv = stored.get(ack.key());
            if (kv == null) {
                problems.add(ack.key() + " missing (acknowledged via " + ack.via() + " at revision " + ack.modRevision() + ")");
            } else if (!ack.value().equals(kv.path("value").asString(null))) {
                problems.add(ack.key() + " = " + kv.path("value") + ", acknowledged " + ack.value());
            } else if (kv.path("modRevision").asLong(-1) != ack.modRevision() || kv.path("version").asLong(-1) != 1) {
                problems.add(ack.key() + " has modRevision " + kv.path("modRevision") + " version " + kv.path("version")
                        + ", acknowledged once at revision " + ack.modRevision());
            }
        }
        assertThat(problems).as("%d of %d acknowledged writes wrong on %s (first 20 shown): %s", problems.size(), acks.size(),
                member.name(), problems.subList(0, Math.min(20, problems.size()))).isEmpty();
    }

    private static long commitIndex(RosterProcess leader) throws IOException {
        RosterClient.Response readiness = leader.client().readiness();
        JsonNode commit = readiness.body().path("components").path("raft").path("details").path("commitIndex");
        assertThat(commit.isIntegralNumber()).as("commitIndex in %s readiness: %s", leader.name(), readiness).isTrue();
        return commit.longValue();
    }

    private static Set<String> names(List<RosterProcess> members) {
        return members.stream().map(RosterProcess::name).collect(Collectors.toSet());
    }

    private static String bucketPrefix(int bucket) {
        return PREFIX + Integer.toHexString(bucket) + "/";
    }

    private static void log(String format, Object... args) {
        System.out.printf("[ProcessClusterIT] " + format + "%n", args);
    }

    /** A write the cluster acknowledged with 200. */
    record Ack(int seq, String key, String value, long modRevision, String via, long startedNanos, long ackedNanos) {
    }

    /**
     * Puts fresh keys one after another, round-robin over the running members, recording each acknowledged
     * write. A 503 or a lost answer is "unknown": that write may or may not be there.
     */
    static final class Writer implements Runnable {

        private final ProcessCluster cluster;
        private final List<Ack> acks = new ArrayList<>();
        private final List<String> anomalies = new ArrayList<>();
        private final AtomicInteger unknown = new AtomicInteger();
        private final AtomicInteger attempts = new AtomicInteger();
        private volatile int seqAtKill = -1;
        private volatile boolean stopped;

        Writer(ProcessCluster cluster) {
            this.cluster = cluster;
        }

        @Override
        public void run() {
            int seq = 0;
            int turn = 0;
            int runningBefore = -1;
            while (!stopped) {
                List<RosterProcess> running = cluster.running();
                if (running.isEmpty()) {
                    recordAnomaly("no member is running");
                    return;
                }
                if (running.size() < runningBefore && seqAtKill < 0) {
                    seqAtKill = seq;
                }
                runningBefore = running.size();
                RosterProcess target = running.get(Math.floorMod(turn++, running.size()));
                String key = bucketPrefix(seq % BUCKETS) + String.format("%07d", seq);
                String value = "v" + seq + "-via-" + target.name();
                long started = System.nanoTime();
                attempts.incrementAndGet();
                try {
                    RosterClient.Response response = target.client().put(key, value);
                    if (response.ok()) {
                        if (!value.equals(response.string("value")) || !key.equals(response.string("key"))) {
                            recordAnomaly("put " + key + " via " + target.name() + " acknowledged as " + response);
                        }
                        synchronized (acks) {
                            acks.add(new Ack(seq, key, value, response.number("modRevision"), target.name(), started, System.nanoTime()));
                        }
                    } else if (response.status() == 503) {
                        unknown.incrementAndGet();
                    } else {
                        recordAnomaly("put " + key + " via " + target.name() + ": " + response);
                    }
                } catch (IOException e) {
                    unknown.incrementAndGet();
                } catch (RuntimeException | AssertionError e) {
                    recordAnomaly("put " + key + " via " + target.name() + " failed: " + e);
                }
                seq++;
            }
        }

        private void recordAnomaly(String anomaly) {
            synchronized (anomalies) {
                anomalies.add(anomaly);
            }
        }

        void stop() {
            stopped = true;
        }

        List<Ack> acks() {
            synchronized (acks) {
                return List.copyOf(acks);
            }
        }

        int ackCount() {
            synchronized (acks) {
                return acks.size();
            }
        }

        Set<String> ackedVia() {
            return acks().stream().map(Ack::via).collect(Collectors.toSet());
        }

        List<Ack> acksStartedAfter(long nanos) {
            return acks().stream().filter(ack -> ack.startedNanos() - nanos > 0).toList();
        }

        List<String> anomalies() {
            synchronized (anomalies) {
                return List.copyOf(anomalies);
            }
        }

        int unknownCount() {
            return unknown.get();
        }

        int attempts() {
            return attempts.get();
        }

        /** The sequence number of the first write attempted after a member stopped running. */
        int seqAtKill() {
            return seqAtKill;
        }
    }
}
