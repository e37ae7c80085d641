package io.roster.api.watch;

import io.roster.common.InvalidInputException;
import io.roster.config.RosterProperties;
import io.roster.store.KeyEvent;
import io.roster.watch.RevisionCompactedException;
import io.roster.watch.Subscription;
import io.roster.watch.WatchHub;
import io.roster.watch.WatchSink;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Server-Sent Event streams of committed changes under a key prefix. Each event's id is its revision,
 * so a browser's EventSource resumes by itself (Last-Event-ID); other clients pass {@code ?revision=}
 * with the last revision they saw. A revision older than the retained history is refused with 410 Gone
 * before anything is sent. Idle streams get keep-alive comments.
 *
 * <p>A stream is written here as a sequence of flushed chunks, not through Spring's
 * {@code ServerSentEvent} encoding: the hub delivers events already filtered, the keep-alive timer adds
 * comments, and either may end the stream. A client that leaves cancels the write, which ends its
 * subscription; one that stops reading while events keep coming fills its stream's queue and is ended
 * (it resumes from the last revision it saw).
 */
@Component
class EventStreams implements SmartLifecycle {

    private static final MediaType CONTENT_TYPE = new MediaType(MediaType.TEXT_EVENT_STREAM, StandardCharsets.UTF_8);
    /** Chunks a stream holds for a client slower than its changes before it is ended. */
    private static final int QUEUE = 4096;
    /**
     * The last event of a stream whose history is gone (a snapshot replaced the member's state): resuming
     * cannot fill the gap, so the client lists the watched keys again and watches from that list's revision.
     */
    static final String LIST_AGAIN = "end";
    /**
     * The last event of a stream that ends with its history intact (the member shuts down, the watcher fell
     * behind): the client resumes after the last revision it saw, here or on another member, and misses nothing.
     */
    static final String RESUME = "resume";

    private final Set<EventStream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private final WatchHub hub;
    private final ScheduledExecutorService keepAlives;
    private final long keepAliveMillis;
    private final JsonMapper json;

    EventStreams(WatchHub hub, ScheduledExecutorService watchKeepAlives, RosterProperties properties, JsonMapper json) {
        this.hub = hub;
        this.keepAlives = watchKeepAlives;
        this.keepAliveMillis = properties.watch().keepAliveInterval().toMillis();
        this.json = json;
    }

    /**
     * Answers the request with a stream that lasts until the client, the hub or shutdown ends it.
     *
     * @param payload what to send for an event, or null to skip it
     * @throws RevisionCompactedException before anything is written, for the error table's 410
     */
    Mono<Void> open(ServerWebExchange exchange, String prefix, Long revision, String lastEventId, Function<KeyEvent, Object> payload) {
        long requested = startRevision(revision, lastEventId);
        long after = requested < 0 ? hub.latestRevision() : requested;
        ServerHttpResponse response = exchange.getResponse();
        if (HttpMethod.HEAD.equals(exchange.getRequest().getMethod())) {
            // The headers of a stream and no stream: a HEAD answer has no body, so no write would ever fail
            // to tell that the client left.
            startHeaders(response);
            return response.setComplete();
        }
        EventStream stream = new EventStream(payload);
        // Subscribing may refuse (410); the hub may also deliver retained events at once, from another
        // thread: the stream's queue holds them behind its opening comment.
        stream.send(comment("watching changes after revision " + after));
        Subscription subscription = hub.subscribe(prefix, after, stream);
        startHeaders(response);
        DataBufferFactory buffers = response.bufferFactory();
        return response.writeAndFlushWith(stream.start(subscription)
                .map(bytes -> Mono.<DataBuffer>just(buffers.wrap(bytes))));
    }

    private static void startHeaders(ServerHttpResponse response) {
        response.setStatusCode(HttpStatus.OK);
        response.getHeaders().setContentType(CONTENT_TYPE);
        response.getHeaders().set(HttpHeaders.CACHE_CONTROL, "no-cache");
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Ends every stream before the web server's graceful shutdown, which would otherwise wait for watches
     * that never end by themselves. Clients resume on another member from their last revision.
     */
    @Override
    public void stop() {
        running = false;
        for (EventStream stream : open) {
            stream.end(RESUME, "this member is shutting down; resume on another member from the last revision seen");
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static long startRevision(Long revision, String lastEventId) {
        if (revision != null) {
            if (revision < 0) {
                throw InvalidInputException.invalid("revision", "revision must be 0 or more, not " + revision);
            }
            return revision;
        }
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                return Long.parseLong(lastEventId.trim());
            } catch (NumberFormatException e) {
                throw InvalidInputException.invalid("Last-Event-ID", "Last-Event-ID must be a revision, not '" + lastEventId + "'");
            }
        }
        return -1; // from now
    }

    /**
     * One client's stream: a queue of chunks, fed by the hub's delivery thread and the keep-alive timer
     * (serialized here), drained by the connection. Whatever ends it first (the client leaving, the hub,
     * shutdown, a full queue) ends the subscription and the keep-alives, once.
     */
    private final class EventStream implements WatchSink {
        private final Function<KeyEvent, Object> payload;
        private final Sinks.Many<byte[]> chunks = Sinks.many().unicast().onBackpressureBuffer(Queues.<byte[]>get(QUEUE).get());
        private Subscription subscription;
        private ScheduledFuture<?> keepAlive;
        /** No more chunks are taken. */
        private boolean ended;

        EventStream(Function<KeyEvent, Object> payload) {
            this.payload = payload;
        }

        /** The chunks to write, once subscribed to the hub. */
        synchronized Flux<byte[]> start(Subscription subscription) {
            this.subscription = subscription;
            if (ended) {
                subscription.close();
            } else {
                open.add(this);
                try {
                    keepAlive = keepAlives.scheduleAtFixedRate(this::sendKeepAlive, keepAliveMillis, keepAliveMillis,
                            TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException shuttingDown) {
                    end(RESUME, "this member is shutting down; resume on another member from the last revision seen");
                }
            }
            return chunks.asFlux().doFinally(signal -> finish());
        }

        @Override
        public synchronized void onEvents(List<KeyEvent> events) {
            for (KeyEvent event : events) {
                Object data = payload.apply(event);
                if (data != null) {
                    send(("id:" + event.revision() + "\ndata:" + json.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        }

        @Override
        public void onEnd(RuntimeException reason) {
            if (reason instanceof RevisionCompactedException compacted) {
                end(LIST_AGAIN, "list again: the state was replaced at revision " + compacted.currentRevision());
            } else {
                end(RESUME, reason.getMessage() + "; resume from the last revision seen");
            }
        }

        /** The stream's last event: {@code event} says what the client does next, {@code message} says why. */
        synchronized void end(String event, String message) {
            send(("event:" + event + "\ndata:" + message.replace('\n', ' ') + "\n\n").getBytes(StandardCharsets.UTF_8));
            ended = true;
            chunks.tryEmitComplete();
        }

        private synchronized void sendKeepAlive() {
            send(comment("keep-alive"));
        }

        /** Queues a chunk; a client so far behind that its queue is full is ended and resumes later. */
        synchronized void send(byte[] bytes) {
            if (ended) {
                return;
            }
            Sinks.EmitResult result = chunks.tryEmitNext(bytes);
            if (result.isFailure()) {
                ended = true;
                chunks.tryEmitComplete();
                finish();
            }
        }

        /** Ends the subscription and the keep-alives; safe from any thread and more than once. */
        private synchronized void finish() {
            ended = true;
            open.remove(this);
            if (subscription != null) {
                subscription.close();
            }
            if (keepAlive != null) {
                keepAlive.cancel(false);
            }
        }
    }

    private static byte[] comment(String text) {
        return (":" + text + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
