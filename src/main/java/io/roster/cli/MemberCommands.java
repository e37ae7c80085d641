package io.roster.cli;

import io.roster.client.Member;
import io.roster.client.NotFoundException;
import io.roster.client.Problem;
import io.roster.client.internal.Json;
import io.roster.client.RosterClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** {@code rosterctl member list|add|remove|update|promote|move-leader}: the cluster's membership. */
@Command(name = "member", description = "Membership: list, add, remove, update, promote members; move the leader.",
        subcommands = {MemberCommands.ListMembers.class, MemberCommands.Add.class, MemberCommands.Remove.class,
                MemberCommands.Update.class, MemberCommands.Promote.class, MemberCommands.MoveLeader.class})
final class MemberCommands {

    private static final Pattern MEMBER_ID = Pattern.compile("[0-9a-fA-F]{16}");

    private MemberCommands() {
    }

    /**
     * A member id (16 hex digits) as given, or the id of the member with this name (as etcdctl does not,
     * but operators think in names).
     */
    static String resolve(RosterClient client, String idOrName) {
        if (MEMBER_ID.matcher(idOrName).matches()) {
            return idOrName.toLowerCase(java.util.Locale.ROOT);
        }
        List<String> names = new ArrayList<>();
        for (Member member : client.members().members()) {
            if (idOrName.equals(member.name())) {
                return member.id();
            }
            names.add(member.name() + "=" + member.id());
        }
        throw new NotFoundException(null, new Problem(404, "Not found", "no member has the id or name '" + idOrName
                + "' (a member id is 16 hex digits; members: " + String.join(", ", names) + ")", null, null), 0);
    }

    static List<String> peerUrls(List<String> raw, RosterctlCommand command) {
        List<String> urls = new ArrayList<>();
        for (String url : raw) {
            String trimmed = url.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            try {
                urls.add(RosterClient.normalizeEndpoint(trimmed));
            } catch (IllegalArgumentException e) {
                throw command.usage("--peer-urls: " + e.getMessage().replace("endpoint", "peer URL"));
            }
        }
        if (urls.isEmpty()) {
            throw command.usage("--peer-urls needs at least one URL");
        }
        return urls;
    }

    @Command(name = "list", description = "Lists every member: id, name, peer and client URLs, leader, learner.")
    static final class ListMembers extends RosterctlCommand {
        @Override
        public Integer call() {
            JsonNode answer = JsonViews.of(client().members());
            Printer out = printer();
            if (out.json()) {
                out.json(answer);
            } else if (out.table()) {
                out.table(Formats.memberTable(answer.path("members")));
            } else {
                answer.path("members").forEach(member -> out.line(Formats.memberLine(member)));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "add", description = {"Adds a member to the cluster; prints the settings to start it with.",
            "Start the new member with ROSTER_INITIAL_CLUSTER_STATE=existing and the printed ROSTER_INITIAL_CLUSTER."})
    static final class Add extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The new member's name (its ROSTER_NAME).")
        String name;

        @Option(names = "--peer-urls", required = true, split = ",", paramLabel = "URL[,URL…]",
                description = "The new member's peer (Raft) URLs, e.g. http://10.0.0.4:2380.")
        List<String> peerUrls;

        @Option(names = "--learner", description = "Add it as a learner: it replicates but does not vote until promoted.")
        boolean learner;

        @Override
        public Integer call() {
            List<String> urls = peerUrls(peerUrls, this);
            JsonNode answer = JsonViews.of(client().addMember(name, urls, learner));
            Printer out = printer();
            if (out.json()) {
                out.json(answer);
            } else if (out.table()) {
                JsonNode member = answer.path("member");
                out.table(Formats.memberTable(Json.array().add(member)));
                Table settings = new Table("SETTING", "VALUE");
                Formats.memberAddLines(answer, null).stream().skip(2).forEach(line -> {
                    int equals = line.indexOf('=');
                    settings.row(line.substring(0, equals), line.substring(equals + 2, line.length() - 1));
                });
                out.table(settings);
            } else {
                Formats.memberAddLines(answer, clusterId(client(), answer)).forEach(out::line);
            }
            return ExitCodes.OK;
        }
    }

    /** The cluster id for etcdctl's "added to cluster <id>": from the answer, else from a status, else none. */
    private static String clusterId(RosterClient client, JsonNode answer) {
        String fromAnswer = Formats.text(answer, "clusterId");
        if (!fromAnswer.isEmpty()) {
            return fromAnswer;
        }
        try {
            String fromStatus = client.status().clusterId();
            return fromStatus == null || fromStatus.isEmpty() ? null : fromStatus;
        } catch (RuntimeException e) {
            return null; // the member is added; the id is only decoration
        }
    }

    @Command(name = "remove", description = {"Removes a member from the cluster.",
            "Refused (exit 5) when the remaining started members would not be a quorum, unless --force."})
    static final class Remove extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The member's id (16 hex digits) or name.")
        String member;

        @Option(names = "--force", description = "Remove it even if the rest would lose quorum.")
        boolean force;

        @Override
        public Integer call() {
            RosterClient client = client();
            String id = resolve(client, member);
            JsonNode answer = JsonViews.of(client.removeMember(id, force));
            Printer out = printer();
            if (out.json()) {
                out.json(answer);
            } else if (out.table()) {
                out.table(Formats.memberTable(answer.path("members")));
            } else {
                out.line("Member " + id + " removed from cluster");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "update", description = "Changes a member's peer URLs.")
    static final class Update extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The member's id (16 hex digits) or name.")
        String member;

        @Option(names = "--peer-urls", required = true, split = ",", paramLabel = "URL[,URL…]",
                description = "The member's new peer URLs.")
        List<String> peerUrls;

        @Override
        public Integer call() {
            List<String> urls = peerUrls(peerUrls, this);
            RosterClient client = client();
            String id = resolve(client, member);
            JsonNode answer = JsonViews.changed(client.updateMember(id, urls));
            printMemberAnswer(printer(), answer, "Member " + id + " updated in cluster");
            return ExitCodes.OK;
        }
    }

    @Command(name = "promote", description = "Promotes a learner to a voting member (refused, exit 5, while it lags).")
    static final class Promote extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The learner's id (16 hex digits) or name.")
        String member;

        @Override
        public Integer call() {
            RosterClient client = client();
            String id = resolve(client, member);
            JsonNode answer = JsonViews.changed(client.promoteMember(id));
            printMemberAnswer(printer(), answer, "Member " + id + " promoted in cluster");
            return ExitCodes.OK;
        }
    }

    @Command(name = "move-leader", description = "Transfers leadership to another member.")
    static final class MoveLeader extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The new leader's id (16 hex digits) or name.")
        String member;

        @Override
        public Integer call() {
            RosterClient client = client();
            String id = resolve(client, member);
            String before = Objects.requireNonNullElse(client.status().leader(), "");
            String moved = client.transferLeadership(id);
            ObjectNode answer = Json.object();
            if (moved != null) {
                answer.put("leader", moved);
            }
            Printer out = printer();
            String leader = moved == null || moved.isEmpty() ? id : moved;
            if (out.json()) {
                out.json(answer);
            } else if (out.table()) {
                out.table(new Table("PREVIOUS LEADER", "LEADER").row(before, leader));
            } else {
                out.line("Leadership transferred from " + (before.isEmpty() ? "(none)" : before) + " to " + leader);
            }
            return ExitCodes.OK;
        }
    }

    private static void printMemberAnswer(Printer out, JsonNode answer, String line) {
        if (out.json()) {
            out.json(answer);
        } else if (out.table()) {
            JsonNode member = answer.path("member");
            out.table(Formats.memberTable(member.isObject() ? Json.array().add(member)
                    : Json.array()));
        } else {
            out.line(line);
        }
    }
}
