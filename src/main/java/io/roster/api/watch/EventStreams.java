package io.roster.api.watch;

import io.roster.common.InvalidInputException;
import io.roster.config.RosterProperties;
import io.roster.store.KeyEvent;
import io.roster.watch.RevisionCompactedException;
import io.roster.watch.Subscription;
import io.roster.watch.WatchHub;
import io.roster.watch.WatchSink;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>A stream is the servlet's own asynchronous request, written and completed here, not Spring's
 * {@code SseEmitter}: when a client left before the emitter's first write, the emitter lost the failure
 * and its request stayed open for good, one watcher and one socket each, and shutdown waited for them.
 * Here any failed write ends the subscription and completes the request, whichever thread wrote.
 */
@Component
class EventStreams implements SmartLifecycle {

    private static final String CONTENT_TYPE = MediaType.TEXT_EVENT_STREAM_VALUE + ";charset=UTF-8";
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
    private final LostAsyncCompletions lostCompletions;

    EventStreams(WatchHub hub, ScheduledExecutorService watchKeepAlives, RosterProperties properties, JsonMapper json,
                 LostAsyncCompletions lostCompletions) {
        this.hub = hub;
        this.lostCompletions = lostCompletions;
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
    void open(HttpServletRequest request, HttpServletResponse response, String prefix, Long revision, String lastEventId,
              Function<KeyEvent, Object> payload) throws IOException {
        long requested = startRevision(revision, lastEventId);
        long after = requested < 0 ? hub.latestRevision() : requested;
        if ("HEAD".equals(request.getMethod())) {
            // The headers of a stream and no stream: a HEAD answer has no body, so no write would ever fail
            // to tell that the client left.
            startHeaders(response);
            return;
        }
        EventStream stream = new EventStream(payload);
        // Subscribing may refuse (410); the hub may also deliver retained events at once, from another
        // thread: the stream holds them until its opening comment is written.
        Subscription subscription = hub.subscribe(prefix, after, stream);
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        async.addListener(stream); // first: the container may report the client's leaving at any moment now
        startHeaders(response);
        stream.start(async, subscription, after);
    }

    private static void startHeaders(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(CONTENT_TYPE);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
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
     * One client's stream. Writes come from the hub's delivery thread and the keep-alive timer; they are
     * serialized here, and the first one that fails ends everything once. The hub may deliver, or even end
     * the subscription (a replay larger than a watcher's queue), before the request is set up: what it
     * sent then is held and written first, and an early end completes the request as soon as there is one.
     */
    private final class EventStream implements WatchSink, AsyncListener {
        private final Function<KeyEvent, Object> payload;
        /** Written before {@link #start}: what the hub delivered while the request was still being set up. */
        private final List<byte[]> pending = new ArrayList<>();
        private AsyncContext async;
        private Subscription subscription;
        private ScheduledFuture<?> keepAlive;
        /** No more events are taken. */
        private boolean ended;
        /** The request is completed (or being completed): nothing more can be written. */
        private boolean completed;
        /** The container has called {@link #onComplete} or {@link #onError}. */
        private volatile boolean reportedByContainer;

        EventStream(Function<KeyEvent, Object> payload) {
            this.payload = payload;
        }

        synchronized void start(AsyncContext async, Subscription subscription, long after) {
            this.async = async;
            this.subscription = subscription;
            boolean endedEarly = ended;
            List<byte[]> early = new ArrayList<>();
            early.add(comment("watching changes after revision " + after));
            early.addAll(pending);
            pending.clear();
            for (byte[] bytes : early) {
                if (!send(bytes)) {
                    return;
                }
            }
            if (endedEarly) {
                finish();
                return;
            }
            open.add(this);
            keepAlive = keepAlives.scheduleAtFixedRate(this::sendKeepAlive, keepAliveMillis, keepAliveMillis,
                    TimeUnit.MILLISECONDS);
        }

        @Override
        public synchronized void onEvents(List<KeyEvent> events) {
            for (KeyEvent event : events) {
                Object data = payload.apply(event);
                if (data != null) {
                    write(("id:" + event.revision() + "\ndata:" + json.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
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
            write(("event:" + event + "\ndata:" + message.replace('\n', ' ') + "\n\n").getBytes(StandardCharsets.UTF_8));
            finish();
        }

        private synchronized void sendKeepAlive() {
            write(comment("keep-alive"));
        }

        /**
         * Called with this stream's lock held, like every write. A write that fails (the client left) makes Tomcat
         * dispatch an error to a container thread, which calls {@link #onError} and then completes and recycles the
         * request's processor. Unlocked, that could finish while the failed write was still unwinding inside
         * Tomcat (Tomcat 11.0.27 and 11.0.29), and the next request given that processor was ended right after its
         * first write: a watch closed after its opening comment, about once in 20 watches opened while other
         * watchers' clients were leaving. Locked, {@link #onError} waits for the write to unwind.
         */
        private void write(byte[] bytes) {
            if (ended) {
                return;
            }
            if (async == null) {
                pending.add(bytes);
                return;
            }
            send(bytes);
        }

        /** @return whether the bytes went out; a failure has ended the stream */
        private boolean send(byte[] bytes) {
            if (completed) {
                return false;
            }
            try {
                var out = async.getResponse().getOutputStream();
                out.write(bytes);
                out.flush();
                return true;
            } catch (IOException | IllegalStateException clientGoneOrCompleted) {
                // A client that left is normal; there is no one to tell.
                finish();
                // The one case where Tomcat may lose the request: see LostAsyncCompletions.
                lostCompletions.watch(async, () -> reportedByContainer);
                return false;
            }
        }

        /**
         * Ends the subscription and, once there is one, the request; safe from any thread and more than
         * once. Before {@link #start} it only marks the end, which start then completes.
         */
        private synchronized void finish() {
            ended = true;
            open.remove(this);
            if (subscription != null) {
                subscription.close();
            }
            if (keepAlive != null) {
                keepAlive.cancel(false);
            }
            if (async != null && !completed) {
                completed = true;
                try {
                    async.complete();
                } catch (IllegalStateException alreadyCompleted) {
                    // The container ended it first (client error, shutdown).
                }
            }
        }

        private static byte[] comment(String text) {
            return (":" + text + "\n\n").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void onComplete(AsyncEvent event) {
            reportedByContainer = true;
            synchronized (this) {
                completed = true;
            }
            finish();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            finish();
        }

        @Override
        public void onError(AsyncEvent event) {
            reportedByContainer = true;
            finish();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }
}
