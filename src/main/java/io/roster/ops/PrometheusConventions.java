package io.roster.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

import java.util.Map;

/**
 * Keeps {@code /actuator/prometheus} clean under {@code promtool check metrics}: every metric has help
 * text, and the few built-in meters whose names break Prometheus conventions (abbreviated units, a
 * {@code _count} suffix on a gauge) are left out.
 */
final class PrometheusConventions implements MeterFilter {

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "http.server.requests", "HTTP requests served, by method, URI template, status and outcome",
            "http.server.requests.active", "HTTP requests in progress");

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        String name = id.getName();
        if (name.equals("jvm.compilation.time") || name.equals("process.cpu.time")
                || name.equals("system.cpu.count")) {
            return MeterFilterReply.DENY;
        }
        return MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        if (id.getDescription() != null) {
            return id;
        }
        String description = DESCRIPTIONS.getOrDefault(id.getName(), id.getName().replace('.', ' '));
        return new Meter.Id(id.getName(), io.micrometer.core.instrument.Tags.of(id.getTagsAsIterable()), id.getBaseUnit(),
                description, id.getType());
    }
}
