package io.roster.api.registry;

public record HeartbeatResponse(long ttlSeconds, long remainingSeconds) {
}
