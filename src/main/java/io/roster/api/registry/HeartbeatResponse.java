package io.roster.api.registry;

import io.roster.registry.Heartbeat;

public record HeartbeatResponse(long ttlSeconds, long remainingSeconds) {

    static HeartbeatResponse of(Heartbeat renewed) {
        return new HeartbeatResponse(renewed.ttlSeconds(), (renewed.remainingMillis() + 999) / 1000);
    }
}
