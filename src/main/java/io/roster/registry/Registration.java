package io.roster.registry;

/** The outcome of a registration: the stored instance, whether it is new, and the revision it created. */
public record Registration(Instance instance, boolean created, long revision) {
}
