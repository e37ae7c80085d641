package io.roster.api.watch;

import io.roster.common.InvalidInputException;
import io.roster.config.RosterProperties;
import io.roster.store.KeyEvent;
import io.roster.watch.RevisionCompactedException;
import io.roster.watch.Subscription;
import io.roster.watch.WatchHub;
import io.roster.watch.WatchSink;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
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
 */
@Component
class EventStreams implements SmartLifecycle {

    private final Set<EventStream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private final WatchHub hub;
    private final ScheduledExecutorService keepAlives;
    private final long keepAliveMillis;

    EventStreams(WatchHub hub, ScheduledExecutorService watchKeepAlives, RosterProperties properties) {
        this.hub = hub;
        this.keepAlives = watchKeepAlives;
        this.keepAliveMillis = properties.watch().keepAliveInterval().toMillis();
    }

    /**
     * @param payload what to send for an event, or null to skip it
     */
    SseEmitter open(String prefix, Long revision, String lastEventId, Function<KeyEvent, Object> payload) {
        long requested = startRevision(revision, lastEventId);
        long after = requested < 0 ? hub.latestRevision() : requested;
        SseEmitter emitter = new SseEmitter(0L); // lasts until the client, the hub or shutdown ends it
        if (isHeadRequest()) {
            // The headers of a stream and no stream: a HEAD answer has no body, so no write would ever fail
            // to tell that the client left, and a watcher would stay registered for good.
            emitter.complete();
            return emitter;
        }
        EventStream stream = new EventStream(emitter, payload);
        // The opening comment first: the hub starts delivering retained events the moment it subscribes, from
        // another thread. Nothing reaches the client before this method returns, so a 410 below still answers alone.
        stream.announce(after);
        Subscription subscription = hub.subscribe(prefix, after, stream);
        stream.start(subscription);
        return emitter;
    }

    private static boolean isHeadRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                && "HEAD".equals(attributes.getRequest().getMethod());
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
            stream.end("this member is shutting down; resume on another member from the last revision seen");
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

    /** Writes events to one client and keeps the idle stream alive; any write failure ends the watch. */
    private final class EventStream implements WatchSink {
        private final SseEmitter emitter;
        private final Function<KeyEvent, Object> payload;
        private volatile Subscription subscription;
        private volatile ScheduledFuture<?> keepAlive;

        EventStream(SseEmitter emitter, Function<KeyEvent, Object> payload) {
            this.emitter = emitter;
            this.payload = payload;
        }

        void announce(long from) {
            send(SseEmitter.event().comment("watching changes after revision " + from));
        }

        void start(Subscription subscription) {
            this.subscription = subscription;
            open.add(this);
            emitter.onCompletion(this::stop);
            emitter.onTimeout(this::stop);
            emitter.onError(error -> stop());
            keepAlive = keepAlives.scheduleAtFixedRate(() -> send(SseEmitter.event().comment("keep-alive")),
                    keepAliveMillis, keepAliveMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void onEvents(List<KeyEvent> events) {
            for (KeyEvent event : events) {
                Object data = payload.apply(event);
                if (data != null) {
                    send(SseEmitter.event().id(Long.toString(event.revision())).data(data, MediaType.APPLICATION_JSON));
                }
            }
        }

        @Override
        public void onEnd(RuntimeException reason) {
            end(reason instanceof RevisionCompactedException compacted
                    ? "list again: the state was replaced at revision " + compacted.currentRevision()
                    : reason.getMessage());
        }

        void end(String message) {
            stop();
            send(SseEmitter.event().name("end").data(message));
            emitter.complete();
        }

        private void send(SseEmitter.SseEventBuilder event) {
            try {
                emitter.send(event);
            } catch (IOException | IllegalStateException e) {
                stop();
                emitter.completeWithError(e);
            }
        }

        private void stop() {
            open.remove(this);
            Subscription current = subscription;
            if (current != null) {
                current.close();
            }
            ScheduledFuture<?> timer = keepAlive;
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }
}
