package io.roster.api.kv;

import io.roster.api.ReadParameters;
import io.roster.api.Revisions;
import io.roster.common.InvalidInputException;
import io.roster.kv.KvService;
import io.roster.lease.LeaseIds;
import io.roster.raft.ReadConsistency;
import io.roster.store.command.Command;
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
@RequestMapping("/v1/kv")
class KvController {

    private final KvService kv;

    KvController(KvService kv) {
        this.kv = kv;
    }

    @PutMapping("/{*key}")
    CompletableFuture<ResponseEntity<KeyValueResponse>> put(@PathVariable String key, @RequestBody PutKeyRequest request) {
        long lease = request.lease() == null || request.lease().isEmpty() ? 0 : LeaseIds.parse(request.lease(), "lease");
        long prevRevision = request.prevRevision() == null ? Command.NO_COMPARE : request.prevRevision();
        if (request.prevRevision() != null && prevRevision < 0) {
            throw InvalidInputException.invalid("prevRevision", "prevRevision must be 0 (create only) or a revision, not " + prevRevision);
        }
        return kv.put(stripSlash(key), request.value(), lease, prevRevision)
                .thenApply(written -> Revisions.ok(KeyValueResponse.of(written.kv(), written.revision()), written.revision()));
    }

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

    @DeleteMapping("/{*key}")
    CompletableFuture<ResponseEntity<DeleteResponse>> delete(@PathVariable String key,
                                                             @RequestParam(defaultValue = "false") boolean prefix,
                                                             @RequestParam(required = false) Long prevRevision) {
        long expected = prevRevision == null ? Command.NO_COMPARE : prevRevision;
        if (prevRevision != null && prevRevision < 0) {
            throw InvalidInputException.invalid("prevRevision", "prevRevision must be 0 or a revision, not " + prevRevision);
        }
        return kv.delete(stripSlash(key), prefix, expected).thenApply(deleted -> Revisions.ok(
                new DeleteResponse(deleted.deleted().size(), deleted.revision()), deleted.revision()));
    }

    /** {@code {*key}} captures the leading '/' of the remaining path. */
    private static String stripSlash(String captured) {
        return captured.startsWith("/") ? captured.substring(1) : captured;
    }
}
