package io.roster.client;

/** A revoked lease: how many keys were deleted with it, at which revision. */
public record LeaseRevoked(String id, int deletedKeys, long revision) {
}
