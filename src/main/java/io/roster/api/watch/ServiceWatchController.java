package io.roster.api.watch;

import io.roster.api.auth.Callers;
import io.roster.api.registry.RegistryEventView;
import io.roster.auth.Permission;
import io.roster.registry.RegistryEvent;
import io.roster.registry.RegistryKeys;
import io.roster.registry.RegistryService;
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
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.function.Predicate;


/**
 * {@code /v1/watch/services[/{service}]}: one Server-Sent Event per instance change, in revision order
 * (see {@link EventStreams} for resuming and 410 Gone), of the services the caller may discover.
 */
@RestController
@Tag(name = "Service registry")
@RequestMapping("/v1/watch/services")
class ServiceWatchController {

    private static final String WATCH = "One event per change: {type PUT|DELETE, service, instanceId, instance (on PUT), revision,"
            + " reason registered|updated|deregistered|expired}, with the revision as the event id. Starts after ?revision=N"
            + " (or the Last-Event-ID header), else now. Idle streams get keep-alive comments.";

    private final EventStreams streams;
    private final RegistryService registry;

    ServiceWatchController(EventStreams streams, RegistryService registry) {
        this.streams = streams;
        this.registry = registry;
    }

    @Operation(summary = "Watch every service (Server-Sent Events)", description = WATCH)
    @ApiResponse(responseCode = "200", description = "An event stream", content = @Content(mediaType = "text/event-stream", examples = @ExampleObject(value = """
            id:42\n            data:{\"type\":\"PUT\",\"service\":\"web\",\"instanceId\":\"web-1\",\"instance\":{},\"revision\":42,\"reason\":\"registered\"}""")))
    @ApiResponse(responseCode = "410", description = "The revision is older than the retained history; list again at currentRevision")
    @GetMapping(produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Mono<Void> all(@RequestParam(required = false) Long revision,
                   @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                   ServerWebExchange exchange) {
        return stream(exchange, RegistryKeys.PREFIX, revision, lastEventId);
    }

    @Operation(summary = "Watch one service (Server-Sent Events)", description = WATCH)
    @ApiResponse(responseCode = "200", description = "An event stream", content = @Content(mediaType = "text/event-stream", examples = @ExampleObject(value = """
            id:43\n            data:{\"type\":\"DELETE\",\"service\":\"web\",\"instanceId\":\"web-1\",\"revision\":43,\"reason\":\"expired\"}""")))
    @ApiResponse(responseCode = "410", description = "The revision is older than the retained history; list again at currentRevision")
    @GetMapping(path = "/{service}", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Mono<Void> service(@PathVariable String service, @RequestParam(required = false) Long revision,
                       @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                       ServerWebExchange exchange) {
        registry.limits().requireName("service", service);
        return stream(exchange, RegistryKeys.servicePrefix(service), revision, lastEventId);
    }

    private Mono<Void> stream(ServerWebExchange exchange, String prefix, Long revision, String lastEventId) {
        Predicate<Permission> visible = Callers.visibleTo(exchange);
        return streams.open(exchange, prefix, revision, lastEventId, event -> {
            RegistryEvent change = RegistryEvent.of(event);
            return change == null || !visible.test(new Permission(Permission.Access.DISCOVER, change.service()))
                    ? null : RegistryEventView.of(change);
        });
    }
}
