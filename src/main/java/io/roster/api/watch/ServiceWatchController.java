package io.roster.api.watch;

import io.roster.api.registry.RegistryEventView;
import io.roster.common.InvalidInputException;
import io.roster.config.RosterProperties;
import io.roster.registry.RegistryEvent;
import io.roster.registry.RegistryKeys;
import io.roster.registry.RegistryService;
import io.roster.store.KeyEvent;
import io.roster.watch.RevisionCompactedException;
import io.roster.watch.Subscription;
import io.roster.watch.WatchHub;
import io.roster.watch.WatchSink;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code /v1/watch/services[/{service}]}: one Server-Sent Event per instance change, in revision order.
 * Each event's id is its revision, so a browser's EventSource resumes by itself (Last-Event-ID); other
 * clients pass {@code ?revision=} with the last revision they saw. A revision older than the retained
 * history is refused with 410 Gone and the current revision, to list again.
 */
@RestController
@Tag(name = "Service registry")
@RequestMapping("/v1/watch/services")
class ServiceWatchController {

    private static final String WATCH = "One event per change: {type PUT|DELETE, service, instanceId, instance (on PUT), revision,"
            + " reason registered|updated|deregistered|expired}, with the revision as the event id. Starts after ?revision=N"
            + " (or the Last-Event-ID header), else now. Idle streams get keep-alive comments.";

    private final WatchHub hub;
    private final RegistryService registry;
    private final ScheduledExecutorService scheduler;
    private final long keepAliveMillis;

    ServiceWatchController(WatchHub hub, RegistryService registry, ScheduledExecutorService watchKeepAlives,
                           RosterProperties properties) {
        this.hub = hub;
        this.registry = registry;
        this.scheduler = watchKeepAlives;
        this.keepAliveMillis = properties.watch().keepAliveInterval().toMillis();
    }

    @Operation(summary = "Watch every service (Server-Sent Events)", description = WATCH)
    @ApiResponse(responseCode = "200", description = "An event stream", content = @Content(mediaType = "text/event-stream", examples = @ExampleObject(value = """
            id:42\n            data:{\"type\":\"PUT\",\"service\":\"web\",\"instanceId\":\"web-1\",\"instance\":{},\"revision\":42,\"reason\":\"registered\"}""")))
    @ApiResponse(responseCode = "410", description = "The revision is older than the retained history; list again at currentRevision")
    @GetMapping(produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter all(@RequestParam(required = false) Long revision,
                   @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        return stream(RegistryKeys.PREFIX, revision, lastEventId);
    }

    @Operation(summary = "Watch one service (Server-Sent Events)", description = WATCH)
    @ApiResponse(responseCode = "200", description = "An event stream", content = @Content(mediaType = "text/event-stream", examples = @ExampleObject(value = """
            id:43\n            data:{\"type\":\"DELETE\",\"service\":\"web\",\"instanceId\":\"web-1\",\"revision\":43,\"reason\":\"expired\"}""")))
    @ApiResponse(responseCode = "410", description = "The revision is older than the retained history; list again at currentRevision")
    @GetMapping(path = "/{service}", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter service(@PathVariable String service, @RequestParam(required = false) Long revision,
                       @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        registry.limits().requireName("service", service);
        return stream(RegistryKeys.servicePrefix(service), revision, lastEventId);
    }

    private SseEmitter stream(String prefix, Long revision, String lastEventId) {
        long after = startRevision(revision, lastEventId);
        SseEmitter emitter = new SseEmitter(0L); // the stream lasts until the client or the hub ends it
        EventStream stream = new EventStream(emitter);
        Subscription subscription = hub.subscribe(prefix, after, stream); // may refuse with 410 before anything is sent
        stream.start(subscription, after < 0 ? hub.latestRevision() : after);
        return emitter;
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
        private volatile Subscription subscription;
        private volatile ScheduledFuture<?> keepAlive;

        EventStream(SseEmitter emitter) {
            this.emitter = emitter;
        }

        void start(Subscription subscription, long from) {
            this.subscription = subscription;
            emitter.onCompletion(this::stop);
            emitter.onTimeout(this::stop);
            emitter.onError(error -> stop());
            send(SseEmitter.event().comment("watching changes after revision " + from));
            keepAlive = scheduler.scheduleAtFixedRate(() -> send(SseEmitter.event().comment("keep-alive")),
                    keepAliveMillis, keepAliveMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void onEvents(List<KeyEvent> events) {
            for (KeyEvent event : events) {
                RegistryEvent change = RegistryEvent.of(event);
                if (change != null) {
                    send(SseEmitter.event().id(Long.toString(change.revision()))
                            .data(RegistryEventView.of(change), MediaType.APPLICATION_JSON));
                }
            }
        }

        @Override
        public void onEnd(RuntimeException reason) {
            String message = reason instanceof RevisionCompactedException compacted
                    ? "list again: the state was replaced at revision " + compacted.currentRevision()
                    : reason.getMessage();
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
