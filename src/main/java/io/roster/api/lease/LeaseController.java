package io.roster.api.lease;

import io.roster.api.Revisions;
import io.roster.common.InvalidInputException;
import io.roster.lease.LeaseIds;
import io.roster.lease.LeaseInfo;
import io.roster.lease.LeaseService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.concurrent.CompletableFuture;

@RestController
@Tag(name = "Leases")
@RequestMapping("/v1/leases")
class LeaseController {

    private final LeaseService leases;

    LeaseController(LeaseService leases) {
        this.leases = leases;
    }

    @Operation(summary = "Grant a lease")
    @ApiResponse(responseCode = "201", description = "Granted", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"id":"2a1c7e5b40d3f981","ttlSeconds":10}""")))
    @PostMapping
    CompletableFuture<ResponseEntity<LeaseResponse>> grant(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = """
            {"ttlSeconds":10}"""))) @RequestBody GrantLeaseRequest request) {
        if (request.ttlSeconds() == null) {
            throw InvalidInputException.invalid("ttlSeconds", "ttlSeconds is required");
        }
        return leases.grant(request.ttlSeconds()).thenApply(granted -> Revisions.respond(HttpStatus.CREATED,
                new LeaseResponse(LeaseIds.format(granted.id()), granted.ttlSeconds()), granted.revision()));
    }

    @Operation(summary = "Keep a lease alive", description = "Restarts its countdown at the full TTL on the leader; not a log write.")
    @ApiResponse(responseCode = "200", description = "Renewed", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"id":"2a1c7e5b40d3f981","ttlSeconds":10}""")))
    @ApiResponse(responseCode = "404", description = "Expired, revoked or never granted")
    @PutMapping("/{id}/keepalive")
    CompletableFuture<ResponseEntity<LeaseResponse>> keepAlive(@PathVariable String id) {
        long leaseId = LeaseIds.parse(id, "id");
        return leases.keepAlive(leaseId).thenApply(renewed -> Revisions.ok(new LeaseResponse(id, renewed.ttlSeconds()),
                renewed.revision()));
    }

    @Operation(summary = "A lease's TTL, time left and keys")
    @ApiResponse(responseCode = "200", description = "The lease", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"id":"2a1c7e5b40d3f981","ttlSeconds":10,"remainingSeconds":9,"remainingMillis":8712,"keys":["instances/web-1"]}""")))
    @ApiResponse(responseCode = "404", description = "Expired, revoked or never granted")
    @GetMapping("/{id}")
    CompletableFuture<ResponseEntity<LeaseInfoResponse>> timeToLive(@PathVariable String id) {
        long leaseId = LeaseIds.parse(id, "id");
        return leases.timeToLive(leaseId).thenApply(described -> {
            LeaseInfo info = described.lease();
            return Revisions.ok(new LeaseInfoResponse(id, info.ttlSeconds(), (info.remainingMillis() + 999) / 1000,
                    info.remainingMillis(), info.keys()), described.revision());
        });
    }

    @Operation(summary = "Revoke a lease, deleting its keys")
    @ApiResponse(responseCode = "200", description = "Revoked", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"id":"2a1c7e5b40d3f981","deletedKeys":1,"revision":12}""")))
    @ApiResponse(responseCode = "404", description = "Expired, revoked or never granted")
    @DeleteMapping("/{id}")
    CompletableFuture<ResponseEntity<RevokeLeaseResponse>> revoke(@PathVariable String id) {
        long leaseId = LeaseIds.parse(id, "id");
        return leases.revoke(leaseId).thenApply(revoked -> Revisions.ok(
                new RevokeLeaseResponse(id, revoked.deletedKeys(), revoked.revision()), revoked.revision()));
    }
}
