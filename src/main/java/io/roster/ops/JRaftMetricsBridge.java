package io.roster.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.roster.raft.JRaftTiming;
import io.roster.raft.RaftNode;

import java.util.function.ToDoubleFunction;

/**
 * SOFAJRaft measures its own hot paths in a Dropwizard registry; this publishes the ones operators need
 * (log append including fsync, apply, replication) rather than timing them a second time. Each becomes
 * a summary-style gauge per quantile (over JRaft's recent-sample reservoir) and a counter of events.
 */
final class JRaftMetricsBridge implements MeterBinder {

    /** JRaft's timer name, our metric name, and what it measures. */
    private static final String[][] TIMERS = {
            {"append-logs", "roster.raft.log.append", "Appending a batch of entries to the RocksDB log, fsync included"},
            {"fsm-apply-tasks", "roster.raft.apply", "Applying a batch of committed entries to the store"},
            {"replicate-entries", "roster.raft.replicate", "Replicating a batch of entries to one follower (on the leader)"},
            {"handle-append-entries", "roster.raft.follower.append", "Handling an append from the leader (on followers)"},
            {"save-raft-meta", "roster.raft.meta.save", "Saving term and vote to disk"},
    };

    private final RaftNode raft;

    JRaftMetricsBridge(RaftNode raft) {
        this.raft = raft;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String[] timer : TIMERS) {
            String source = timer[0];
            for (Statistic statistic : Statistic.values()) {
                Gauge.builder(timer[1] + "." + statistic.suffix, raft, node -> statistic.read.applyAsDouble(node.jraftTiming(source)))
                        .baseUnit("seconds")
                        .description(timer[2] + ": " + statistic.description + " over JRaft's recent samples")
                        .register(registry);
            }
            FunctionCounter.builder(timer[1] + ".batches", raft, node -> node.jraftTiming(source).count())
                    .description(timer[2] + ": batches measured").register(registry);
        }
    }

    private enum Statistic {
        P50("p50", "median", JRaftTiming::median),
        P99("p99", "99th percentile", JRaftTiming::p99),
        MAX("max", "maximum", JRaftTiming::max);

        final String suffix;
        final String description;
        final ToDoubleFunction<JRaftTiming> read;

        Statistic(String suffix, String description, ToDoubleFunction<JRaftTiming> read) {
            this.suffix = suffix;
            this.description = description;
            this.read = read;
        }
    }
}
