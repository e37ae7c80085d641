package io.roster.api.kv;

import io.roster.api.ReadParameters;
import io.roster.api.Revisions;
import io.roster.common.InvalidInputException;
import io.roster.kv.KvService;
import io.roster.lease.LeaseIds;
import io.roster.raft.ReadConsistency;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.concurrent.CompletableFuture;

/** {@code /v1/kv/{key}}: keys may contain '/', so the key is the whole rest of the path. */
@RestController
@Tag(name = "Key-value")
@RequestMapping("/v1/kv")
class KvController {

    private final KvService kv;

    KvController(KvService kv) {
        this.kv = kv;
    }

    @Operation(summary = "Put a key", description = "Keys may contain '/'. prevRevision makes it a compare-and-swap: 0 = create only if absent, N = only if the key's mod revision is N. lease binds the key to a lease (deleted with it).")
    @ApiResponse(responseCode = "200", description = "Stored", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"key":"config/app/db","value":"postgres://db:5432/app","createRevision":2,"modRevision":2,"version":1,"revision":2}""")))
    @ApiResponse(responseCode = "404", description = "The lease does not exist")
    @ApiResponse(responseCode = "409", description = "Compare failed; current holds the key's entry")
    @ApiResponse(responseCode = "413", description = "Value or body over the size limit")
    @PutMapping("/{*key}")
    CompletableFuture<ResponseEntity<KeyValueResponse>> put(@PathVariable String key, @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = """
            {"value":"postgres://db:5432/app","prevRevision":0}"""))) @RequestBody PutKeyRequest request) {
        long lease = request.lease() == null || request.lease().isEmpty() ? 0 : LeaseIds.parse(request.lease(), "lease");
        long prevRevision = request.prevRevision() == null ? KvService.NO_COMPARE : request.prevRevision();
        if (request.prevRevision() != null && prevRevision < 0) {
            throw InvalidInputException.invalid("prevRevision", "prevRevision must be 0 (create only) or a revision, not " + prevRevision);
        }
        return kv.put(stripSlash(key), request.value(), lease, prevRevision)
                .thenApply(written -> Revisions.ok(KeyValueResponse.of(written.kv(), written.revision()), written.revision()));
    }

    @Operation(summary = "Get a key, or the keys under a prefix", description = "With prefix=true lists keys in order, at most limit of them; more says the list was cut short.")
    @ApiResponse(responseCode = "200", description = "The key, or {kvs, count, more, revision} for a prefix", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"key":"config/app/db","value":"postgres://db:5432/app","createRevision":2,"modRevision":2,"version":1,"revision":9}""")))
    @ApiResponse(responseCode = "404", description = "No such key")
    @GetMapping("/{*key}")
    CompletableFuture<? extends ResponseEntity<?>> get(@PathVariable String key,
                                                     @RequestParam(defaultValue = "false") boolean prefix,
                                                     @RequestParam(defaultValue = "0") int limit,
                                                     @RequestParam(required = false) String consistency) {
        ReadConsistency readConsistency = ReadParameters.consistency(consistency);
        if (prefix) {
            return kv.range(stripSlash(key), limit, readConsistency).thenApply(range -> Revisions.ok(
                    new RangeResponse(range.kvs().stream().map(KeyValueView::of).toList(), range.count(), range.more(),
                            range.revision()), range.revision()));
        }
        return kv.get(stripSlash(key), readConsistency)
                .thenApply(read -> Revisions.ok(KeyValueResponse.of(read.kv(), read.revision()), read.revision()));
    }

    @Operation(summary = "Delete a key, or every key under a prefix", description = "A prefix delete removes all its keys at one revision; prevRevision makes a single delete conditional.")
    @ApiResponse(responseCode = "200", description = "Deleted", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"deleted":1,"revision":10}""")))
    @ApiResponse(responseCode = "409", description = "Compare failed")
    @DeleteMapping("/{*key}")
    CompletableFuture<ResponseEntity<DeleteResponse>> delete(@PathVariable String key,
                                                             @RequestParam(defaultValue = "false") boolean prefix,
                                                             @RequestParam(required = false) Long prevRevision) {
        long expected = prevRevision == null ? KvService.NO_COMPARE : prevRevision;
        if (prevRevision != null && prevRevision < 0) {
            throw InvalidInputException.invalid("prevRevision", "prevRevision must be 0 or a revision, not " + prevRevision);
        }
        return kv.delete(stripSlash(key), prefix, expected).thenApply(deleted -> Revisions.ok(
                new DeleteResponse(deleted.deleted(), deleted.revision()), deleted.revision()));
    }

    /** {@code {*key}} captures the leading '/' of the remaining path. */
    private static String stripSlash(String captured) {
        return captured.startsWith("/") ? captured.substring(1) : captured;
    }
}
