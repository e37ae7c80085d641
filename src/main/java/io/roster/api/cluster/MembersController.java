package io.roster.api.cluster;

import io.roster.api.ReadParameters;
import io.roster.api.Revisions;
import io.roster.cluster.MembershipService;
import io.roster.common.InvalidInputException;
import io.roster.identity.MemberIds;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@code /v1/members}: cluster membership at runtime, as etcd's member API. */
@RestController
@Tag(name = "Cluster")
@RequestMapping("/v1/members")
class MembersController {

    private static final String MEMBER = """
            {"id":"8e9e05c52164694d","name":"n1","peerUrls":["http://10.0.0.1:2380"],"clientUrls":["http://10.0.0.1:2379"],"isLeader":true,"isLearner":false,"status":"started"}""";

    private final MembershipService membership;

    MembersController(MembershipService membership) {
        this.membership = membership;
    }

    record MembersResponse(List<MemberResponse> members, long revision) {
    }

    record AddMemberRequest(String name, List<String> peerUrls, Boolean isLearner) {
    }

    record AddMemberResponse(MemberResponse member, String initialCluster, String initialClusterState, Map<String, String> env) {
    }

    record UpdateMemberRequest(List<String> peerUrls) {
    }

    record MemberChange(MemberResponse member) {
    }

    record RemovedResponse(MemberResponse removed, List<MemberResponse> members) {
    }

    record LeaderResponse(String leader) {
    }

    @Operation(summary = "List members", description = "Every member with its peer and client URLs, whether it leads, whether it"
            + " is a learner, and whether it has started (an added member that has not run yet has no name).")
    @ApiResponse(responseCode = "200", description = "Members", content = @Content(mediaType = "application/json",
            examples = @ExampleObject(value = "{\"members\":[" + MEMBER + "],\"revision\":57}")))
    @GetMapping
    CompletableFuture<ResponseEntity<MembersResponse>> list(@RequestParam(required = false) String consistency) {
        return membership.list(ReadParameters.consistency(consistency)).thenApply(views -> Revisions.ok(
                new MembersResponse(views.value().stream().map(MemberResponse::of).toList(), views.revision()), views.revision()));
    }

    @Operation(summary = "Add a member", description = "Records the member unstarted and answers with the settings to start it"
            + " with. It joins as a learner, so it never weakens the quorum while it is not running or catching up, and"
            + " becomes a voter once caught up (unless isLearner: then promote it yourself).")
    @ApiResponse(responseCode = "201", description = "Added", content = @Content(mediaType = "application/json",
            examples = @ExampleObject(value = """
            {"member":{"id":"2c3e4f5a6b7c8d9e","name":"","peerUrls":["http://10.0.0.4:2380"],"clientUrls":[],"isLeader":false,"isLearner":false,"status":"unstarted"},"initialCluster":"n1=http://10.0.0.1:2380,n2=http://10.0.0.2:2380,n3=http://10.0.0.3:2380,n4=http://10.0.0.4:2380","initialClusterState":"existing","env":{"ROSTER_NAME":"n4","ROSTER_INITIAL_CLUSTER":"n1=http://10.0.0.1:2380,n2=http://10.0.0.2:2380,n3=http://10.0.0.3:2380,n4=http://10.0.0.4:2380","ROSTER_INITIAL_CLUSTER_STATE":"existing"}}""")))
    @ApiResponse(responseCode = "409", description = "The name or a peer URL is already in use, or the peer URL is still a"
            + " removed member's in Raft's configuration (try again in a few seconds)")
    @PostMapping
    CompletableFuture<ResponseEntity<AddMemberResponse>> add(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            examples = @ExampleObject(value = """
            {"name":"n4","peerUrls":["http://10.0.0.4:2380"],"isLearner":false}"""))) @RequestBody AddMemberRequest request) {
        return membership.add(request.name(), request.peerUrls(), Boolean.TRUE.equals(request.isLearner())).thenApply(added -> {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("ROSTER_NAME", added.member().name());
            env.put("ROSTER_INITIAL_CLUSTER", added.initialCluster());
            env.put("ROSTER_INITIAL_CLUSTER_STATE", "existing");
            return Revisions.respond(HttpStatus.CREATED, new AddMemberResponse(MemberResponse.of(added.member()),
                    added.initialCluster(), "existing", env), added.revision());
        });
    }

    @Operation(summary = "Update a member's peer URLs", description = "The member keeps its id; restart it at the new address.")
    @ApiResponse(responseCode = "200", description = "Updated", content = @Content(mediaType = "application/json",
            examples = @ExampleObject(value = "{\"member\":" + MEMBER + "}")))
    @ApiResponse(responseCode = "404", description = "No such member")
    @ApiResponse(responseCode = "409", description = "A peer URL is in use by another member")
    @PutMapping("/{id}")
    CompletableFuture<ResponseEntity<MemberChange>> update(@PathVariable String id, @io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(examples = @ExampleObject(value = """
            {"peerUrls":["http://10.0.0.9:2380"]}"""))) @RequestBody UpdateMemberRequest request) {
        return membership.updatePeers(parseId(id), request.peerUrls()).thenApply(member -> Revisions.ok(
                new MemberChange(MemberResponse.of(member.value())), member.revision()));
    }

    @Operation(summary = "Remove a member", description = "Refused (409, saying why) when it would leave the cluster without a"
            + " quorum of reachable voters, unless force=true. The removed member stops serving requests.")
    @ApiResponse(responseCode = "200", description = "Removed", content = @Content(mediaType = "application/json",
            examples = @ExampleObject(value = "{\"removed\":" + MEMBER + ",\"members\":[]}")))
    @ApiResponse(responseCode = "404", description = "No such member")
    @ApiResponse(responseCode = "409", description = "Removing it would lose quorum; or the removal is recorded but the leader"
            + " has not yet taken the member out of Raft's configuration (list the members to see it gone)")
    @DeleteMapping("/{id}")
    CompletableFuture<ResponseEntity<RemovedResponse>> remove(@PathVariable String id,
                                                             @RequestParam(defaultValue = "false") boolean force) {
        // The members left as this member applied them, removal included: a member that removed itself has no
        // leader to make a linearizable read with.
        return membership.remove(parseId(id), force).thenCompose(removed -> membership.list(io.roster.raft.ReadConsistency.SERIALIZABLE)
                .thenApply(views -> Revisions.ok(new RemovedResponse(MemberResponse.of(removed.value()),
                        views.value().stream().map(MemberResponse::of).toList()), views.revision())));
    }

    @Operation(summary = "Promote a learner to voter", description = "Refused (409) while it is not running or lags behind.")
    @ApiResponse(responseCode = "200", description = "Promoted", content = @Content(mediaType = "application/json",
            examples = @ExampleObject(value = "{\"member\":" + MEMBER + "}")))
    @ApiResponse(responseCode = "404", description = "No such member")
    @ApiResponse(responseCode = "409", description = "Not a learner, not running, or lagging")
    @PostMapping("/{id}/promote")
    CompletableFuture<ResponseEntity<MemberChange>> promote(@PathVariable String id) {
        return membership.promote(parseId(id)).thenApply(member -> Revisions.ok(
                new MemberChange(MemberResponse.of(member.value())), member.revision()));
    }

    @Operation(summary = "Move leadership to a member")
    @ApiResponse(responseCode = "200", description = "Leadership is moving", content = @Content(mediaType = "application/json",
            examples = @ExampleObject(value = "{\"leader\":\"8e9e05c52164694d\"}")))
    @ApiResponse(responseCode = "404", description = "No such member")
    @ApiResponse(responseCode = "409", description = "The member is not a caught-up voter")
    @PostMapping("/{id}/transfer-leadership")
    CompletableFuture<ResponseEntity<LeaderResponse>> transferLeadership(@PathVariable String id) {
        return membership.transferLeadership(parseId(id)).thenApply(member -> Revisions.ok(
                new LeaderResponse(MemberIds.hex(member.value().id())), member.revision()));
    }

    private static long parseId(String id) {
        try {
            return MemberIds.parseHex(id);
        } catch (RuntimeException e) {
            throw InvalidInputException.invalid("id", "a member id is 16 hex digits, not '" + id + "'");
        }
    }
}
