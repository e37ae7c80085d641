package io.roster.api.lease;

public record LeaseResponse(String id, long ttlSeconds) {
}
