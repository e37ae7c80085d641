package io.roster.api.maintenance;

import io.roster.api.Revisions;
import io.roster.cluster.Backup;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.concurrent.CompletableFuture;

/** {@code /v1/snapshot}: a consistent copy of the whole store, for backups ({@code rosterctl snapshot save}). */
@RestController
@Tag(name = "Cluster")
class SnapshotController {

    private final Backup backup;

    SnapshotController(Backup backup) {
        this.backup = backup;
    }

    @Operation(summary = "Download a snapshot of the store", description = "Linearizable: it holds every write acknowledged"
            + " before the request. The body is Roster's versioned snapshot format (checksummed); restore it with"
            + " `rosterctl snapshot restore`.")
    @ApiResponse(responseCode = "200", description = "The snapshot", content = @Content(mediaType = "application/octet-stream",
            examples = @ExampleObject(value = "(binary: ROSTERS1 …)")))
    @GetMapping(path = "/v1/snapshot", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    CompletableFuture<ResponseEntity<byte[]>> snapshot() {
        return backup.save().thenApply(snapshot -> ResponseEntity.ok()
                .header(Revisions.HEADER, Long.toString(snapshot.revision()))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"roster-" + snapshot.revision() + ".snapshot\"")
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .body(snapshot.bytes()));
    }
}
