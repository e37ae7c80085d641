package io.roster.testing;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Server-Sent Events stream opened by {@link RosterHttp#events}, read in the background: every event's id, name
 * and data (JSON for change events, a sentence for named ones such as {@code end} and {@code resume}).
 */
public final class EventStream implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public record Event(String id, String name, JsonNode data) {
        public long revision() {
            return data.get("revision").asLong();
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private volatile int eventsBeforeFirstComment = -1;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Thread reader;
    private final int status;
    private final String errorBody;
    private volatile InputStream body;

    EventStream(HttpResponse<InputStream> response) throws IOException {
        this.status = response.statusCode();
        this.body = response.body();
        if (status != 200) {
            this.errorBody = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            this.reader = null;
            ended.set(true);
            return;
        }
        this.errorBody = null;
        this.reader = new Thread(this::read, "event-stream");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String name = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        String text = data.toString();
                        events.add(new Event(id, name, name != null ? JSON.getNodeFactory().textNode(text) : JSON.readTree(text)));
                    }
                    id = null;
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5));
                } else if (line.startsWith(":")) {
                    if (comments.isEmpty()) {
                        eventsBeforeFirstComment = events.size();
                    }
                    comments.add(line.substring(1).trim());
                }
            }
        } catch (IOException e) {
            // closed by close() or by the server
        } finally {
            ended.set(true);
        }
    }

    public int status() {
        return status;
    }

    public String errorBody() {
        return errorBody;
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    /** Comment lines ({@code :text}) in arrival order, without the colon: the watch's opening line, keep-alives. */
    public List<String> comments() {
        return List.copyOf(comments);
    }

    /** How many events arrived before the first comment, or -1 while no comment has arrived. */
    public int eventsBeforeFirstComment() {
        return eventsBeforeFirstComment;
    }

    public boolean ended() {
        return ended.get();
    }

    @Override
    public void close() {
        try {
            InputStream stream = body;
            if (stream != null) {
                stream.close();
            }
        } catch (IOException ignored) {
            // closing a stream we are done with
        }
    }
}
