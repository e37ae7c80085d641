package io.roster.client;

import tools.jackson.databind.JsonNode;

/** Receives the events of a watch, in revision order. */
@FunctionalInterface
public interface WatchHandler {

    /**
     * @param revision the event's revision (its SSE id)
     * @param event    the event's JSON data, as the server sent it
     * @return true to go on watching, false to stop
     */
    boolean onEvent(long revision, JsonNode event);
}
