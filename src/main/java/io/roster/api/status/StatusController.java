package io.roster.api.status;

import io.roster.api.Revisions;
import io.roster.cluster.ClusterStatus;
import io.roster.cluster.MemberStatus;
import io.roster.identity.MemberIds;
import io.roster.identity.NodeIdentity;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.concurrent.CompletableFuture;

@RestController
@Tag(name = "Cluster")
class StatusController {

    private final ClusterStatus cluster;
    private final NodeIdentity identity;

    StatusController(ClusterStatus cluster, NodeIdentity identity) {
        this.cluster = cluster;
        this.identity = identity;
    }

    /**
     * Every member's status, as the member asked gathered it.
     *
     * @param askedBy  the id of the member that asked the others
     * @param revision that member's store revision when it answered
     */
    record MembersStatusResponse(String askedBy, long revision, List<MemberStatusResponse> members) {
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

    @Operation(summary = "Every member's status", description = "Like etcdctl endpoint status --cluster, in one request: the"
            + " member asked reads its member list (locally, so it answers without a leader too), asks every other member for"
            + " its status over the peer port, all at once with a 1 s timeout, and answers for itself. A member that does not"
            + " answer is reachable: false, with the reason; one of an older release that does not know the question is"
            + " reachable, with an error saying so.")
    @ApiResponse(responseCode = "200", description = "Statuses", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"askedBy":"0d1e2f3a4b5c6d7e","revision":57,"members":[\
            {"memberId":"0d1e2f3a4b5c6d7e","name":"n1","peerUrls":["http://10.0.0.1:2380"],"clientUrls":["http://10.0.0.1:2379"],"isLearner":false,"reachable":true,\
            "status":{"version":"0.1.0","clusterId":"5a1d2c3b4e5f6a7b","memberId":"0d1e2f3a4b5c6d7e","name":"n1","leader":"0d1e2f3a4b5c6d7e","role":"leader","raftTerm":2,"raftIndex":118,"commitIndex":118,"appliedIndex":118,"revision":57,"dbSizeBytes":1048576}},\
            {"memberId":"8e9e05c52164694d","name":"n2","peerUrls":["http://10.0.0.2:2380"],"clientUrls":["http://10.0.0.2:2379"],"isLearner":false,"reachable":true,\
            "status":{"version":"0.1.0","clusterId":"5a1d2c3b4e5f6a7b","memberId":"8e9e05c52164694d","name":"n2","leader":"0d1e2f3a4b5c6d7e","role":"follower","raftTerm":2,"raftIndex":118,"commitIndex":118,"appliedIndex":117,"revision":57,"dbSizeBytes":1040384}},\
            {"memberId":"2c3e4f5a6b7c8d9e","name":"n3","peerUrls":["http://10.0.0.3:2380"],"clientUrls":["http://10.0.0.3:2379"],"isLearner":false,"reachable":false,\
            "error":"connection refused"}]}""")))
    @GetMapping("/v1/status/members")
    CompletableFuture<ResponseEntity<MembersStatusResponse>> members() {
        return cluster.everyMember().thenApply(reports -> {
            long revision = cluster.revision();
            return Revisions.ok(new MembersStatusResponse(MemberIds.hex(identity.memberId()), revision,
                    reports.stream().map(MemberStatusResponse::of).toList()), revision);
        });
    }
}
