package io.roster.raft;

/**
 * One of JRaft's own timers (log append, apply, replication), read out of its Dropwizard registry so that
 * the Dropwizard types stay in this package.
 *
 * @param count     batches measured since the node started
 * @param quantiles seconds at the median, the 99th percentile and the maximum, over JRaft's recent samples
 */
public record JRaftTiming(long count, double[] quantiles) {

    static final double[] QUANTILES = {0.5, 0.99, 1.0};
    static final JRaftTiming NONE = new JRaftTiming(0, new double[QUANTILES.length]);

    public double median() {
        return quantiles[0];
    }

    public double p99() {
        return quantiles[1];
    }

    public double max() {
        return quantiles[2];
    }
}
