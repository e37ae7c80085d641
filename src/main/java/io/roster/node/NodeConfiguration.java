package io.roster.node;

import io.roster.auth.AccessControl;
import io.roster.auth.AuthService;
import io.roster.cluster.Backup;
import io.roster.cluster.ClusterJoin;
import io.roster.cluster.ClusterStatus;
import io.roster.cluster.MemberDirectory;
import io.roster.cluster.MembershipReconciler;
import io.roster.cluster.MembershipService;
import io.roster.cluster.RemovedMemberGuard;
import io.roster.cluster.MemberPublisher;
import io.roster.config.InitialCluster;
import io.roster.config.InvalidConfigurationException;
import io.roster.config.PeerUrl;
import io.roster.config.RosterProperties;
import io.roster.identity.DataDirectory;
import io.roster.identity.NodeIdentity;
import io.roster.ops.DataDirSize;
import io.roster.registry.RegistryLimits;
import io.roster.registry.RegistryStats;
import io.roster.registry.RegistryService;
import io.roster.watch.WatchHub;
import io.roster.kv.KvService;
import io.roster.lease.LeaseKeeper;
import io.roster.lease.LeaseService;
import io.roster.raft.PeerProbe;
import io.roster.raft.PeerProtocol;
import io.roster.raft.PeerTransport;
import io.roster.raft.RaftNode;
import io.roster.raft.RaftSettings;
import io.roster.raft.tls.PeerTls;
import io.roster.store.Member;
import io.roster.store.RosterStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Assembles one Roster node: store, Raft, lease clock and the façades the API uses. */
@Configuration(proxyBeanMethods = false)
class NodeConfiguration {

    static final String RAFT_GROUP = "roster";

    @Bean
    NodeIdentity nodeIdentity(RosterProperties properties, @Value("${server.port:2379}") int clientPort, PeerTransport transport) {
        NodeIdentity configured = NodeIdentity.resolve(properties, clientPort);
        DataDirectory.requireWritable(configured.dataDir());
        NodeIdentity identity = new ClusterJoin(properties.membership().joinWait(), new PeerProbe(transport))
                .check(configured, properties.forceNewCluster());
        DataDirectory.prepare(identity);
        return identity;
    }

    /** Plain TCP between members, or mutual TLS when the peer URLs are https. */
    @Bean(destroyMethod = "close")
    PeerTransport peerTransport(RosterProperties properties) {
        keepDiagnosticFilesIn(properties.dataDir().toAbsolutePath().normalize().resolve("logs")); // before bolt loads
        RosterProperties.Peer peer = properties.peer();
        if (!InitialCluster.parse(properties.effectiveInitialCluster()).usesTls()) {
            if (peer.anyFileSet()) {
                throw new InvalidConfigurationException("roster.peer.cert-file, key-file or trusted-ca-file is set, but the"
                        + " peer URLs in roster.initial-cluster are http://; make them https:// to turn on TLS between members");
            }
            return PeerTransport.PLAIN;
        }
        try {
            return PeerTransport.tls(PeerTls.start(peer.tlsSettings()));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(e.getMessage());
        }
    }

    /**
     * Bolt, JRaft's transport, writes its own log files under the {@code logging.path} system property
     * ({@code ~/logs} when unset), and JRaft dumps node state into the working directory on SIGUSR2.
     * Keep both with the member's data unless the operator chose a place; this runs before any bolt or
     * JRaft class is loaded.
     */
    private static void keepDiagnosticFilesIn(java.nio.file.Path directory) {
        for (String property : new String[] {"logging.path", "jraft.signal.node.describe.dir",
                "jraft.signal.node.metrics.dir", "jraft.signal.thread.pool.metrics.dir"}) {
            if (System.getProperty(property) == null) {
                System.setProperty(property, directory.toString());
            }
        }
    }

    @Bean
    RosterStore rosterStore() {
        return new RosterStore();
    }

    @Bean
    RaftNode raftNode(NodeIdentity identity, RosterProperties properties, RosterStore store, PeerTransport transport) {
        RosterProperties.Raft raft = properties.raft();
        List<PeerUrl> initialPeers = identity.joiningExisting() ? List.of() : identity.initialCluster().peerUrls();
        return new RaftNode(new RaftSettings(RAFT_GROUP, identity.peerUrl(),
                properties.effectiveListenPeerPort(identity.peerUrl()), initialPeers, identity.dataDir(),
                raft.electionTimeout(), raft.snapshotInterval(), raft.snapshotEntries(), raft.requestTimeout(), transport), store);
    }

    @Bean
    AccessControl accessControl(RosterStore store) {
        AccessControl access = new AccessControl(store, () -> System.currentTimeMillis() / 1000);
        store.addListener(access);
        return access;
    }

    @Bean
    AuthService authService(RaftNode raft, RosterStore store, AccessControl access, RosterProperties properties) {
        return new AuthService(raft, store, access, new BCryptPasswordEncoder(), properties.auth().userTokenTtl());
    }

    @Bean
    LeaseKeeper leaseKeeper(RaftNode raft, RosterStore store, RosterProperties properties) {
        RosterProperties.Leases leases = properties.leases();
        LeaseKeeper keeper = new LeaseKeeper(raft, store, System::nanoTime, properties.raft().electionTimeout(),
                leases.checkpointInterval(), leases.maxRevocationsPerSecond());
        raft.addLeadershipListener(keeper);
        store.addListener(keeper);
        return keeper;
    }

    @Bean
    LeaseService leaseService(RaftNode raft, RosterStore store, LeaseKeeper keeper, RosterProperties properties) {
        return new LeaseService(raft, store, keeper, properties.leases().minTtl(), properties.leases().maxTtl());
    }

    @Bean
    KvService kvService(RaftNode raft, RosterStore store, RosterProperties properties) {
        return new KvService(raft, store, properties.limits());
    }

    @Bean
    WatchHub watchHub(RosterStore store, RosterProperties properties, java.util.concurrent.ExecutorService watchDelivery) {
        RosterProperties.Watch watch = properties.watch();
        WatchHub hub = new WatchHub(store, watch.historyEvents(), watch.queueEvents(), watchDelivery);
        store.addListener(hub);
        return hub;
    }

    /** Writes events to watchers; a slow client blocks one of these threads until its queue overflows. */
    @Bean(destroyMethod = "shutdownNow")
    java.util.concurrent.ExecutorService watchDelivery() {
        return Executors.newFixedThreadPool(8, daemonThreads("roster-watch"));
    }

    /** Keep-alive comments for idle event streams; separate from the lease clock's timer, which must never wait on a client. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService watchKeepAlives() {
        return Executors.newSingleThreadScheduledExecutor(daemonThreads("roster-watch-keepalive"));
    }

    @Bean
    RegistryService registryService(RaftNode raft, RosterStore store, LeaseService leases, WatchHub hub,
                                    RosterProperties properties) {
        RosterProperties.Registry registry = properties.registry();
        return new RegistryService(raft, store, leases, hub, new RegistryLimits(registry.minTtl(), registry.maxTtl(),
                registry.defaultTtl(), registry.maxMetadataEntries(), registry.maxMetadataBytes()), System::currentTimeMillis);
    }

    @Bean
    RegistryStats registryStats(RosterStore store) {
        RegistryStats stats = new RegistryStats(store);
        store.addListener(stats);
        return stats;
    }

    @Bean
    MembershipService membershipService(RaftNode raft, RosterStore store, NodeIdentity identity, MemberDirectory directory,
                                        RosterProperties properties) {
        return new MembershipService(raft, store, identity, directory, properties.raft().laggingThresholdEntries(),
                properties.raft().electionTimeout());
    }

    /** This member's status, and every member's, asked over the peer port with a second's wait for each. */
    @Bean
    ClusterStatus clusterStatus(RaftNode raft, RosterStore store, NodeIdentity identity, MemberDirectory directory,
                                DataDirSize dataDirSize, ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        return new ClusterStatus(raft, store, identity, directory, dataDirSize::bytes,
                properties == null ? "development" : properties.getVersion(), java.time.Duration.ofSeconds(1));
    }

    /** Bound before {@link NodeLifecycle} starts Raft. */
    @Bean
    PeerProtocol peerProtocol(RaftNode raft, LeaseService leases, RegistryService registry, MembershipService membership,
                              ClusterStatus status) {
        return PeerHandlers.bind(raft.protocol(), leases, registry, membership, status);
    }

    @Bean
    MembershipReconciler membershipReconciler(RaftNode raft, RosterStore store, NodeIdentity identity,
                                              RosterProperties properties) {
        return new MembershipReconciler(raft, store, identity, properties.raft().laggingThresholdEntries(),
                properties.forceNewCluster());
    }

    @Bean
    Backup backup(RaftNode raft, RosterStore store) {
        return new Backup(raft, store);
    }

    @Bean
    RemovedMemberGuard removedMemberGuard(RosterStore store, NodeIdentity identity) {
        RemovedMemberGuard guard = new RemovedMemberGuard(identity);
        store.addListener(guard);
        return guard;
    }

    @Bean
    MemberDirectory memberDirectory(RosterStore store, NodeIdentity identity) {
        return new MemberDirectory(store, identity);
    }

    @Bean
    DataDirSize dataDirSize(NodeIdentity identity) {
        return new DataDirSize(identity.dataDir(), System::nanoTime);
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService nodeScheduler() {
        return Executors.newSingleThreadScheduledExecutor(daemonThreads("roster-node-timer"));
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        java.util.concurrent.atomic.AtomicInteger counter = new java.util.concurrent.atomic.AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Bean
    MemberPublisher memberPublisher(RaftNode raft, RosterStore store, NodeIdentity identity, ScheduledExecutorService nodeScheduler) {
        Member self = new Member(identity.memberId(), identity.name(), List.of(identity.peerUrl().url()),
                List.of(identity.clientUrl()), false);
        return new MemberPublisher(raft, store, self, nodeScheduler);
    }

    /**
     * Starts Raft as soon as the node exists, while Spring goes on creating the web layer and the actuator (most
     * of a start's second): a restarted member hears from its leader and catches up meanwhile, instead of after.
     * The beans named here register store listeners or peer handlers that Raft must not run without.
     */
    @Bean
    @DependsOn({"accessControl", "watchHub", "registryStats", "removedMemberGuard", "peerProtocol"})
    NodeLifecycle nodeLifecycle(RaftNode raft, LeaseKeeper keeper, MemberPublisher publisher, MembershipReconciler reconciler,
                                ScheduledExecutorService nodeScheduler, RosterProperties properties) {
        NodeLifecycle lifecycle = new NodeLifecycle(raft, keeper, publisher, reconciler, nodeScheduler, properties);
        lifecycle.start();
        return lifecycle;
    }
}
