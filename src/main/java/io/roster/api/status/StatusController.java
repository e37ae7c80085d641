package io.roster.api.status;

import io.roster.api.Revisions;
import io.roster.cluster.MemberDirectory;
import io.roster.config.MemberIds;
import io.roster.config.NodeIdentity;
import io.roster.ops.DataDirSize;
import io.roster.raft.RaftNode;
import io.roster.raft.RaftStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
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

    private final RaftNode raft;
    private final NodeIdentity identity;
    private final MemberDirectory members;
    private final DataDirSize dataDirSize;
    private final String version;

    StatusController(RaftNode raft, NodeIdentity identity, MemberDirectory members, DataDirSize dataDirSize,
                     ObjectProvider<BuildProperties> build) {
        this.raft = raft;
        this.identity = identity;
        this.members = members;
        this.dataDirSize = dataDirSize;
        BuildProperties properties = build.getIfAvailable();
        this.version = properties == null ? "development" : properties.getVersion();
    }

    @Operation(summary = "This member's status", description = "Like etcd's endpoint status: ids, leader, Raft term and indexes, store revision, data size.")
    @ApiResponse(responseCode = "200", description = "Status", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"version":"0.1.0","clusterId":"5a1d2c3b4e5f6a7b","memberId":"0d1e2f3a4b5c6d7e","name":"n1","leader":"0d1e2f3a4b5c6d7e","raftTerm":2,"raftIndex":118,"appliedIndex":118,"revision":57,"dbSizeBytes":1048576}""")))
    @GetMapping("/v1/status")
    ResponseEntity<StatusResponse> status() {
        long revision = raft.store().revision();
        RaftStatus status = raft.status();
        String leader = status.hasLeader()
                ? members.atPeerAddress(status.leaderPeer()).map(known -> MemberIds.hex(known.id())).orElse(null)
                : null;
        return Revisions.ok(new StatusResponse(version, MemberIds.hex(identity.clusterId()), MemberIds.hex(identity.memberId()),
                identity.name(), leader, status.term(), status.lastLogIndex(), status.appliedIndex(), revision,
                dataDirSize.bytes()), revision);
    }
}
