package io.roster.client;

/**
 * The Server-Sent Events wire format (the WHATWG event-stream rules this API uses), fed one line at a time:
 * {@code id:}, {@code event:} and {@code data:} fields gather into an event that a blank line completes;
 * lines starting with ':' are comments (the server's "watching changes after revision N" and keep-alives).
 */
final class SseParser {

    /** One complete event. {@code event} is null for the default type; {@code id} null when none was sent. */
    record Event(String id, String event, String data) {
    }

    interface Handler {
        void onEvent(Event event);

        void onComment(String comment);
    }

    private final Handler handler;
    private String id;
    private String event;
    private StringBuilder data;

    SseParser(Handler handler) {
        this.handler = handler;
    }

    void line(String line) {
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.startsWith(":")) {
            handler.onComment(line.substring(1).trim());
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "id" -> id = value;
            case "event" -> event = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> {
                // "retry" and unknown fields: ignored, as the format says
            }
        }
    }

    private void dispatch() {
        if (data != null) {
            handler.onEvent(new Event(id, event, data.toString()));
        }
        id = null;
        event = null;
        data = null;
    }
}
