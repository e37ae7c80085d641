package io.roster.api.status;

import io.roster.api.Revisions;
import io.roster.cluster.ClusterStatus;
import io.roster.cluster.MemberStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Cluster")
class StatusController {

    private final ClusterStatus cluster;

    StatusController(ClusterStatus cluster) {
        this.cluster = cluster;
    }

    @Operation(summary = "This member's status", description = "Like etcd's endpoint status: ids, leader, Raft role, term and"
            + " indexes (last in the log, committed, applied), store revision, data size.")
    @ApiResponse(responseCode = "200", description = "Status", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"version":"0.1.0","clusterId":"5a1d2c3b4e5f6a7b","memberId":"0d1e2f3a4b5c6d7e","name":"n1","leader":"0d1e2f3a4b5c6d7e","role":"leader","raftTerm":2,"raftIndex":118,"commitIndex":118,"appliedIndex":118,"revision":57,"dbSizeBytes":1048576}""")))
    @GetMapping("/v1/status")
    ResponseEntity<StatusResponse> status() {
        MemberStatus status = cluster.self();
        return Revisions.ok(StatusResponse.of(status), status.revision());
    }
}
