package io.roster.testing.cluster;

import io.roster.client.MemberAdded;
import io.roster.client.RosterClient;
import io.roster.testing.ProcessCluster;
import io.roster.testing.RosterProcess;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link TestCluster} of processes of the built jar: {@code kill} is SIGKILL and {@code pause} is SIGSTOP. */
public final class ProcessTestCluster implements TestCluster {

    private final ProcessCluster cluster;
    private final List<TestMember> members = new CopyOnWriteArrayList<>();
    private final AtomicInteger rejoins = new AtomicInteger();

    private ProcessTestCluster(ProcessCluster cluster) {
        this.cluster = cluster;
        cluster.members().forEach(process -> members.add(new ProcessMember(process)));
    }

    /** Starts the cluster's members and waits until they are ready and agree on a leader. */
    public static ProcessTestCluster start(ProcessCluster cluster) {
        ProcessTestCluster started = new ProcessTestCluster(cluster);
        cluster.start().awaitReady(READY_TIMEOUT);
        started.leader();
        return started;
    }

    /** The processes underneath, for what only processes can do (their logs, their output). */
    public ProcessCluster processes() {
        return cluster;
    }

    @Override
    public List<TestMember> members() {
        return List.copyOf(members);
    }

    @Override
    public TestMember addMember(String name) {
        int peerPort = cluster.peerPortFor(name);
        MemberAdded added;
        try (RosterClient client = client()) {
            added = client.addMember(name, List.of(ProcessCluster.peerUrl(peerPort)), false);
        }
        ProcessMember existing = (ProcessMember) members.stream().filter(member -> member.name().equals(name)).findFirst().orElse(null);
        Path dataDir = cluster.dataRoot().resolve(name + "-rejoined-" + rejoins.incrementAndGet());
        RosterProcess process = cluster.memberBuilder(name, peerPort).dataDir(dataDir)
                .env("ROSTER_INITIAL_CLUSTER", added.initialCluster())
                .env("ROSTER_INITIAL_CLUSTER_STATE", "existing")
                .build();
        ProcessMember member;
        if (existing != null) {
            cluster.replace(existing.process, process);
            existing.process = process;
            member = existing;
        } else {
            cluster.add(process);
            member = new ProcessMember(process);
            members.add(member);
        }
        member.start();
        return member;
    }

    @Override
    public void close() {
        cluster.close();
    }

    @Override
    public String toString() {
        return "process cluster " + members;
    }

    private final class ProcessMember implements TestMember {
        private volatile RosterProcess process;

        private ProcessMember(RosterProcess process) {
            this.process = process;
        }

        @Override
        public String name() {
            return process.name();
        }

        @Override
        public String clientUrl() {
            return cluster.clientUrl(process);
        }

        @Override
        public String peerUrl() {
            return ProcessCluster.peerUrl(process.peerPort());
        }

        @Override
        public boolean isRunning() {
            return process.isRunning();
        }

        @Override
        public void start() {
            process.start().waitReady(READY_TIMEOUT);
        }

        @Override
        public void stop() {
            process.stop();
        }

        @Override
        public void kill() {
            process.kill9();
        }

        @Override
        public void pause() {
            process.pause();
        }

        @Override
        public void resume() {
            process.resume();
        }

        @Override
        public String toString() {
            return process.toString();
        }
    }
}
