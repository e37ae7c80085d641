package io.roster.api.watch;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.roster.api.auth.Callers;
import io.roster.auth.Permission;
import io.roster.kv.KvService;
import io.roster.store.KeyEvent;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code /v1/watch/kv/{key}}: changes to one key, or with {@code prefix=true} to every key under it that
 * the caller may read.
 */
@RestController
@Tag(name = "Key-value")
@RequestMapping("/v1/watch/kv")
class KvWatchController {

    private final EventStreams streams;
    private final KvService kv;

    KvWatchController(EventStreams streams, KvService kv) {
        this.streams = streams;
        this.kv = kv;
    }

    @Operation(summary = "Watch a key or a prefix (Server-Sent Events)", description = "One event per change: {type PUT|DELETE,"
            + " key, value (on PUT), createRevision, modRevision, version, lease, revision, cause request|lease-expired|lease-revoked},"
            + " with the revision as the event id. Starts after ?revision=N (or Last-Event-ID), else now.")
    @ApiResponse(responseCode = "200", description = "An event stream", content = @Content(mediaType = "text/event-stream",
            examples = @ExampleObject(value = """
            id:12\\n            data:{\\"type\\":\\"PUT\\",\\"key\\":\\"config/app/db\\",\\"value\\":\\"postgres://db\\",\\"modRevision\\":12,\\"version\\":3,\\"revision\\":12,\\"cause\\":\\"request\\"}""")))
    @ApiResponse(responseCode = "410", description = "The revision is older than the retained history; get again at currentRevision")
    @GetMapping(path = "/{*key}", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Mono<Void> watch(@PathVariable String key, @RequestParam(defaultValue = "false") boolean prefix,
                     @RequestParam(required = false) Long revision,
                     @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                     ServerWebExchange exchange) {
        String watched = key.startsWith("/") ? key.substring(1) : key;
        kv.requireWatchable(watched, prefix);
        Predicate<Permission> visible = Callers.visibleTo(exchange);
        return streams.open(exchange, watched, revision, lastEventId, event ->
                (prefix || event.kv().key().equals(watched)) && visible.test(new Permission(Permission.Access.READ, event.kv().key()))
                        ? view(event) : null);
    }

    private static Map<String, Object> view(KeyEvent event) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("type", event.type().name());
        view.put("key", event.kv().key());
        if (event.type() == KeyEvent.Type.PUT) {
            view.put("value", event.kv().valueAsString());
            view.put("createRevision", event.kv().createRevision());
            view.put("version", event.kv().version());
            if (event.kv().lease() != 0) {
                view.put("lease", io.roster.lease.LeaseIds.format(event.kv().lease()));
            }
        }
        view.put("modRevision", event.kv().modRevision());
        view.put("revision", event.revision());
        view.put("cause", event.cause().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        return view;
    }
}
