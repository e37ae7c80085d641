package io.roster.api.registry;

import io.roster.api.Revisions;
import io.roster.api.auth.Callers;
import io.roster.auth.Permission;
import io.roster.common.InvalidInputException;
import io.roster.raft.ReadConsistency;
import io.roster.registry.InstancePatch;
import io.roster.registry.InstanceQuery;
import io.roster.registry.InstanceSpec;
import io.roster.registry.InstanceStatus;
import io.roster.registry.Lookup;
import io.roster.registry.RegistryService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import static io.roster.api.ReadParameters.consistency;

/**
 * {@code /v1/services}: register, change, deregister and look up service instances. Heartbeats have an
 * endpoint of their own, {@link HeartbeatEndpoint}.
 */
@RestController
@Tag(name = "Service registry")
@RequestMapping("/v1/services")
class RegistryController {

    private static final int DEFAULT_WEIGHT = 100;

    private final RegistryService registry;
    private final Duration maxWait;

    RegistryController(RegistryService registry, io.roster.config.RosterProperties properties) {
        this.registry = registry;
        this.maxWait = properties.registry().maxWait();
    }

    @Operation(summary = "Register or replace an instance", description = "Binds the instance to a new lease of ttlSeconds (default 30); registering the same id again replaces it and keeps one instance. Keep it alive with heartbeats.")
    @ApiResponse(responseCode = "201", description = "Registered", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"service":"web","instanceId":"web-1","host":"10.1.2.3","port":8080,"secure":false,"zone":"eu-1a","weight":100,"status":"UP","metadata":{"version":"1.4.2"},"leaseId":"2a1c7e5b40d3f981","ttlSeconds":30,"registeredAt":"2026-12-06T10:15:30.123Z","createRevision":41,"modRevision":41,"revision":41}""")))
    @ApiResponse(responseCode = "200", description = "Replaced an existing registration")
    @PutMapping("/{service}/instances/{instanceId}")
    CompletableFuture<ResponseEntity<InstanceResponse>> register(@PathVariable String service, @PathVariable String instanceId,
                                                                 @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = """
            {"host":"10.1.2.3","port":8080,"secure":false,"ttlSeconds":30,"zone":"eu-1a","weight":100,"status":"UP","metadata":{"version":"1.4.2"}}"""))) @RequestBody RegisterInstanceRequest request) {
        if (request.port() == null) {
            throw InvalidInputException.invalid("port", "port is required");
        }
        InstanceSpec spec = new InstanceSpec(request.host(), request.port(), Boolean.TRUE.equals(request.secure()),
                request.ttlSeconds() == null ? registry.limits().defaultTtl().toSeconds() : request.ttlSeconds(),
                request.zone(), request.weight() == null ? DEFAULT_WEIGHT : request.weight(),
                request.status() == null ? InstanceStatus.UP : InstanceStatus.parse(request.status(), "status"),
                request.metadata() == null ? Map.of() : request.metadata());
        return registry.register(service, instanceId, spec).thenApply(registration -> Revisions.respond(
                registration.created() ? HttpStatus.CREATED : HttpStatus.OK,
                InstanceResponse.of(registration.instance(), registration.revision()), registration.revision()));
    }

    @Operation(summary = "Change status, weight or metadata in place", description = "Keeps the instance's lease; metadata, when given, replaces the whole map.")
    @ApiResponse(responseCode = "200", description = "Changed", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"service":"web","instanceId":"web-1","host":"10.1.2.3","port":8080,"secure":false,"zone":"eu-1a","weight":100,"status":"UP","metadata":{"version":"1.4.2"},"leaseId":"2a1c7e5b40d3f981","ttlSeconds":30,"registeredAt":"2026-12-06T10:15:30.123Z","createRevision":41,"modRevision":41,"revision":41}""")))
    @ApiResponse(responseCode = "404", description = "Not registered")
    @PatchMapping("/{service}/instances/{instanceId}")
    CompletableFuture<ResponseEntity<InstanceResponse>> patch(@PathVariable String service, @PathVariable String instanceId,
                                                              @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = """
            {"status":"OUT_OF_SERVICE","weight":0}"""))) @RequestBody PatchInstanceRequest request) {
        InstancePatch patch = new InstancePatch(
                request.status() == null ? null : InstanceStatus.parse(request.status(), "status"),
                request.weight(), request.metadata());
        if (patch.status() == null && patch.weight() == null && patch.metadata() == null) {
            throw InvalidInputException.invalid("body", "give at least one of status, weight or metadata to change");
        }
        return registry.patch(service, instanceId, patch).thenApply(registration -> Revisions.ok(
                InstanceResponse.of(registration.instance(), registration.revision()), registration.revision()));
    }

    @Operation(summary = "Deregister an instance", description = "Revokes its lease, which deletes it; watchers see reason \"deregistered\".")
    @ApiResponse(responseCode = "204", description = "Deregistered")
    @ApiResponse(responseCode = "404", description = "Not registered")
    @DeleteMapping("/{service}/instances/{instanceId}")
    CompletableFuture<ResponseEntity<Void>> deregister(@PathVariable String service, @PathVariable String instanceId) {
        return registry.deregister(service, instanceId).thenApply(revision -> ResponseEntity.noContent()
                .header(Revisions.HEADER, Long.toString(revision)).build());
    }

    @Operation(summary = "List services", description = "Every service the caller may discover, with its instance count and how many are UP.")
    @ApiResponse(responseCode = "200", description = "Services", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"services":[{"name":"web","instances":3,"up":2}],"revision":57}""")))
    @GetMapping
    CompletableFuture<ResponseEntity<ServicesResponse>> services(@RequestParam(required = false) String consistency,
                                                                 ServerWebExchange request) {
        Predicate<Permission> visible = Callers.visibleTo(request);
        return registry.services(consistency(consistency)).thenApply(list -> Revisions.ok(new ServicesResponse(
                list.services().stream().filter(service -> visible.test(new Permission(Permission.Access.DISCOVER, service.name()))).toList(),
                list.revision()), list.revision()));
    }

    @Operation(summary = "Look up a service's instances", description = "Filters: status (default all), zone, metadata=key=value (repeatable, all must match). With revision=N it is a blocking query: it answers as soon as the service changes after revision N, or when wait (default 30s, at most roster.registry.max-wait) ends, with the current list.")
    @ApiResponse(responseCode = "200", description = "Matching instances", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"service":"web","instances":[{"service":"web","instanceId":"web-1","host":"10.1.2.3","port":8080,"secure":false,"zone":"eu-1a","weight":100,"status":"UP","metadata":{"version":"1.4.2"},"leaseId":"2a1c7e5b40d3f981","ttlSeconds":30,"registeredAt":"2026-12-06T10:15:30.123Z","createRevision":41,"modRevision":41}],"revision":57}""")))
    @GetMapping("/{service}/instances")
    CompletableFuture<ResponseEntity<LookupResponse>> instances(@PathVariable String service,
                                                                @RequestParam(required = false) String status,
                                                                @RequestParam(required = false) String zone,
                                                                @RequestParam(required = false) List<String> metadata,
                                                                @RequestParam(required = false) String consistency,
                                                                @RequestParam(required = false) Long revision,
                                                                @RequestParam(required = false) String wait) {
        InstanceQuery query = new InstanceQuery(status == null ? null : InstanceStatus.parse(status, "status"), zone,
                parseMetadata(metadata));
        ReadConsistency readConsistency = consistency(consistency);
        CompletableFuture<Lookup> lookup = revision == null
                ? registry.lookup(service, query, readConsistency)
                : registry.awaitLookup(service, query, readConsistency, requireRevision(revision), parseWait(wait));
        return lookup.thenApply(found -> Revisions.ok(new LookupResponse(found.service(),
                found.instances().stream().map(instance -> InstanceResponse.of(instance, null)).toList(), found.revision()),
                found.revision()));
    }

    @Operation(summary = "Time left on each instance's lease", description = "From the leader's lease clock, for the whole service in one"
            + " round trip: what a console counts down between two readings. Heartbeats restart an instance's time; an instance whose"
            + " lease is gone is left out.")
    @ApiResponse(responseCode = "200", description = "Milliseconds left by instance id", content = @Content(mediaType = "application/json",
            examples = @ExampleObject(value = """
            {"service":"web","remainingMillis":{"web-1":27450,"web-2":4100},"revision":57}""")))
    @GetMapping("/{service}/leases")
    CompletableFuture<ResponseEntity<ServiceLeasesResponse>> leases(@PathVariable String service,
                                                                     @RequestParam(required = false) String consistency) {
        return registry.leases(service, consistency(consistency)).thenApply(leases -> Revisions.ok(
                new ServiceLeasesResponse(leases.service(), leases.remainingMillis(), leases.revision()), leases.revision()));
    }

    @Operation(summary = "Get one instance")
    @ApiResponse(responseCode = "200", description = "The instance", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"service":"web","instanceId":"web-1","host":"10.1.2.3","port":8080,"secure":false,"weight":100,"status":"UP","metadata":{},"leaseId":"2a1c7e5b40d3f981","ttlSeconds":30,"registeredAt":"2026-12-06T10:15:30.123Z","createRevision":41,"modRevision":41}""")))
    @ApiResponse(responseCode = "404", description = "Not registered")
    @GetMapping("/{service}/instances/{instanceId}")
    CompletableFuture<ResponseEntity<InstanceResponse>> instance(@PathVariable String service, @PathVariable String instanceId,
                                                                 @RequestParam(required = false) String consistency) {
        return registry.get(service, instanceId, consistency(consistency)).thenApply(read -> Revisions.ok(
                InstanceResponse.of(read.instance(), null), read.revision()));
    }

    private static long requireRevision(long revision) {
        if (revision < 0) {
            throw InvalidInputException.invalid("revision", "revision must be 0 or more, not " + revision);
        }
        return revision;
    }

    private Duration parseWait(String wait) {
        if (wait == null || wait.isBlank()) {
            return maxWait.compareTo(Duration.ofSeconds(30)) < 0 ? maxWait : Duration.ofSeconds(30);
        }
        Duration parsed;
        try {
            parsed = DurationStyle.SIMPLE.parse(wait.trim());
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.invalid("wait", "wait must be a duration such as 500ms, 30s or 5m, not '" + wait + "'");
        }
        if (parsed.isNegative() || parsed.compareTo(maxWait) > 0) {
            throw InvalidInputException.overLimit("wait", "wait must be between 0 and " + maxWait.toSeconds()
                    + "s (roster.registry.max-wait), not " + wait, maxWait.toSeconds() + "s", false);
        }
        return parsed;
    }

    private static Map<String, String> parseMetadata(List<String> filters) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (filters != null) {
            for (String filter : filters) {
                int equals = filter.indexOf('=');
                if (equals <= 0) {
                    throw InvalidInputException.invalid("metadata", "a metadata filter is key=value, not '" + filter + "'");
                }
                metadata.put(filter.substring(0, equals), filter.substring(equals + 1));
            }
        }
        return metadata;
    }
}
