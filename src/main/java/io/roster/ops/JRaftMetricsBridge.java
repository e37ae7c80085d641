package io.roster.ops;

import com.codahale.metrics.Metric;
import com.codahale.metrics.Timer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.roster.raft.RaftNode;

import java.util.Map;
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
            for (String[] statistic : new String[][] {{"p50", "0.5", "median"}, {"p99", "0.99", "99th percentile"},
                    {"max", "1.0", "maximum"}}) {
                double quantile = Double.parseDouble(statistic[1]);
                Gauge.builder(timer[1] + "." + statistic[0], this, bridge -> bridge.seconds(source, quantile))
                        .baseUnit("seconds")
                        .description(timer[2] + ": " + statistic[2] + " over JRaft's recent samples")
                        .register(registry);
            }
            FunctionCounter.builder(timer[1] + ".batches", this, bridge -> bridge.count(source))
                    .description(timer[2] + ": batches measured").register(registry);
        }
    }

    private double seconds(String name, double quantile) {
        return read(name, timer -> timer.getSnapshot().getValue(quantile) / 1e9);
    }

    private double count(String name) {
        return read(name, Timer::getCount);
    }

    private double read(String name, ToDoubleFunction<Timer> value) {
        Map<String, Metric> metrics = raft.jraftMetrics();
        Metric metric = metrics.get(name);
        return metric instanceof Timer timer ? value.applyAsDouble(timer) : 0;
    }
}
