package io.roster.testing.cluster;

import io.roster.client.RosterClient;

/** One member of a {@link TestCluster}. */
public interface TestMember {

    String name();

    /** Where clients reach this member, e.g. {@code http://127.0.0.1:41234}. */
    String clientUrl();

    /** The peer URL the other members know this member by. */
    String peerUrl();

    boolean isRunning();

    /** Starts the member on its data dir (again, after a stop or kill) and waits until it is ready. */
    void start();

    /** Stops the member as an orchestrator would: it drains and leaves Raft cleanly. */
    void stop();

    /** Stops the member at once, without a clean shutdown: a crash. */
    void kill();

    /**
     * Freezes the member without stopping it (a long GC pause, a frozen VM): it keeps its sockets and its place
     * in the cluster but answers nothing until {@link #resume}.
     */
    void pause();

    void resume();

    /** A client of this member alone (no fail-over to the others); the caller closes it. */
    default RosterClient client() {
        return RosterClient.builder().endpoints(clientUrl()).build();
    }
}
