package io.roster.testing.cluster;

import io.roster.client.RosterClient;

import java.time.Duration;
import java.util.List;

/**
 * A Roster cluster under test, whichever way its members run: applications in this JVM
 * ({@link ApplicationCluster}) or processes of the built jar ({@link ProcessTestCluster}). A scenario written
 * against this interface runs on both ({@code ClusterScenarios}); the one client it uses is the project's own
 * library.
 */
public interface TestCluster extends AutoCloseable {

    /** How long a member may take to be ready, and a cluster to elect a leader, on a loaded 2-core machine. */
    Duration READY_TIMEOUT = Duration.ofSeconds(90);

    /** Every member, running or not, in the order they were added. */
    List<TestMember> members();

    default TestMember member(String name) {
        return members().stream().filter(member -> member.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no member named " + name + " in " + members()));
    }

    default List<TestMember> running() {
        return members().stream().filter(TestMember::isRunning).toList();
    }

    /** The leader that every running member names, waiting for them to agree. */
    default TestMember leader() {
        return Leadership.awaitAgreedLeader(this::running, TestMember::clientUrl, TestMember::name, READY_TIMEOUT);
    }

    /** The running members other than the agreed leader. */
    default List<TestMember> followers() {
        TestMember leader = leader();
        return running().stream().filter(member -> member != leader).toList();
    }

    /** A client of every running member, as an application would configure it; the caller closes it. */
    default RosterClient client() {
        return RosterClient.builder().endpoints(running().stream().map(TestMember::clientUrl).toList()).build();
    }

    /**
     * Adds a member through the API ({@code POST /v1/members}) and starts it on an empty data dir with
     * {@code initial-cluster-state=existing}, as an operator replacing a lost member would; returns it ready.
     */
    TestMember addMember(String name);

    /** Stops every member that runs and deletes what the cluster created. */
    @Override
    void close();
}
