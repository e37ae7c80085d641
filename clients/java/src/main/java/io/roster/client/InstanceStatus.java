package io.roster.client;

/** An instance's status; lookups filter on it. */
public enum InstanceStatus {
    UP, DOWN, STARTING, OUT_OF_SERVICE
}
