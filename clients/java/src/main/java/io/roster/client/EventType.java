package io.roster.client;

/** What a watched change did. */
public enum EventType {
    PUT, DELETE
}
