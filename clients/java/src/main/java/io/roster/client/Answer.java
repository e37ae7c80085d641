package io.roster.client;

import io.roster.client.internal.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * One endpoint's answer.
 *
 * @param revision the {@code X-Roster-Revision} header, when present
 */
record Answer(String endpoint, int status, byte[] body, String contentType, OptionalLong revision) {

    boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** The body as JSON, or a missing node when there is no JSON body. */
    JsonNode json() {
        if (body.length == 0 || contentType == null || !contentType.contains("json")) {
            return MissingNode.getInstance();
        }
        try {
            return Json.parse(body);
        } catch (RuntimeException e) {
            return MissingNode.getInstance();
        }
    }

    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
