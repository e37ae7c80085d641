package io.roster.client;

/**
 * The answer to a registration or a patch.
 *
 * @param created  true when the registration created the instance, false when it replaced or changed it
 * @param revision the revision of the write
 */
public record InstanceWrite(Instance instance, boolean created, long revision) {
}
