package io.roster.api.lease;

public record GrantLeaseRequest(Long ttlSeconds) {
}
