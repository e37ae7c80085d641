package io.roster.ops;

import io.roster.cluster.MemberDirectory;
import io.roster.config.RosterProperties;
import io.roster.raft.RaftNode;
import io.roster.registry.RegistryStats;
import io.roster.store.RosterStore;
import io.roster.watch.WatchHub;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Metrics for Prometheus; each binder only reads numbers kept elsewhere. */
@Configuration(proxyBeanMethods = false)
class OpsConfiguration {

    private static final long PEER_LAG_REFRESH_SECONDS = 5;

    @Bean
    RaftMetrics raftMetrics(RaftNode raft, MemberDirectory members, RosterProperties properties,
                            ScheduledExecutorService nodeScheduler) {
        RaftMetrics metrics = new RaftMetrics(raft, members, properties.raft().laggingThresholdEntries());
        nodeScheduler.scheduleAtFixedRate(metrics::refreshPeerLag, PEER_LAG_REFRESH_SECONDS, PEER_LAG_REFRESH_SECONDS,
                TimeUnit.SECONDS);
        return metrics;
    }

    @Bean
    JRaftMetricsBridge jraftMetricsBridge(RaftNode raft) {
        return new JRaftMetricsBridge(raft);
    }

    @Bean
    PrometheusConventions prometheusConventions() {
        return new PrometheusConventions();
    }

    @Bean
    StoreMetrics storeMetrics(RosterStore store, RegistryStats registryStats, WatchHub hub) {
        return new StoreMetrics(store, registryStats, hub);
    }
}
