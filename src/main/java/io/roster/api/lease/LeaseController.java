package io.roster.api.lease;

import io.roster.api.Revisions;
import io.roster.common.InvalidInputException;
import io.roster.lease.LeaseIds;
import io.roster.lease.LeaseService;
import io.roster.store.RosterStore;
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
@RequestMapping("/v1/leases")
class LeaseController {

    private final LeaseService leases;
    private final RosterStore store;

    LeaseController(LeaseService leases, RosterStore store) {
        this.leases = leases;
        this.store = store;
    }

    @PostMapping
    CompletableFuture<ResponseEntity<LeaseResponse>> grant(@RequestBody GrantLeaseRequest request) {
        if (request.ttlSeconds() == null) {
            throw InvalidInputException.invalid("ttlSeconds", "ttlSeconds is required");
        }
        return leases.grant(request.ttlSeconds()).thenApply(granted -> Revisions.respond(HttpStatus.CREATED,
                new LeaseResponse(LeaseIds.format(granted.id()), granted.ttlSeconds()), granted.revision()));
    }

    @PutMapping("/{id}/keepalive")
    CompletableFuture<ResponseEntity<LeaseResponse>> keepAlive(@PathVariable String id) {
        long leaseId = LeaseIds.parse(id, "id");
        return leases.keepAlive(leaseId).thenApply(ttl -> Revisions.ok(new LeaseResponse(id, ttl), store.revision()));
    }

    @GetMapping("/{id}")
    CompletableFuture<ResponseEntity<LeaseInfoResponse>> timeToLive(@PathVariable String id) {
        long leaseId = LeaseIds.parse(id, "id");
        return leases.timeToLive(leaseId).thenApply(info -> Revisions.ok(new LeaseInfoResponse(id, info.ttlSeconds(),
                (info.remainingMillis() + 999) / 1000, info.remainingMillis(), info.keys()), store.revision()));
    }

    @DeleteMapping("/{id}")
    CompletableFuture<ResponseEntity<RevokeLeaseResponse>> revoke(@PathVariable String id) {
        long leaseId = LeaseIds.parse(id, "id");
        return leases.revoke(leaseId).thenApply(revoked -> Revisions.ok(
                new RevokeLeaseResponse(id, revoked.deletedKeys(), revoked.revision()), revoked.revision()));
    }
}
