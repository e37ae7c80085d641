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
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
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
