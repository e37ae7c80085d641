package io.roster.api.lease;

public record RevokeLeaseResponse(String id, int deletedKeys, long revision) {
}
