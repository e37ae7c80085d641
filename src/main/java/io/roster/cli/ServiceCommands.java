package io.roster.cli;

import io.roster.client.Consistency;
import io.roster.client.Instance;
import io.roster.client.InstanceSnapshot;
import io.roster.client.InstanceSpec;
import io.roster.client.InstanceStatus;
import io.roster.client.LookupQuery;
import io.roster.client.NotFoundException;
import io.roster.client.Problem;
import io.roster.client.RegistryEvent;
import io.roster.client.internal.Json;
import io.roster.client.RosterClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code rosterctl service register|deregister|heartbeat|list|get|watch}: the service registry. */
@Command(name = "service", description = "The service registry: register, deregister, heartbeat, list, look up and watch instances.",
        subcommands = {ServiceCommands.Register.class, ServiceCommands.Deregister.class, ServiceCommands.Heartbeat.class,
                ServiceCommands.ListServices.class, ServiceCommands.Get.class, ServiceCommands.Watch.class})
final class ServiceCommands {

    private ServiceCommands() {
    }

    @Command(name = "register", description = {"Registers (or replaces) an instance of a service, bound to a lease of --ttl",
            "seconds: heartbeat it (service heartbeat) or it expires."})
    static final class Register extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "SERVICE")
        String service;

        @Parameters(index = "1", paramLabel = "ID", description = "The instance id.")
        String instanceId;

        @Option(names = "--host", required = true, paramLabel = "HOST")
        String host;

        @Option(names = "--port", required = true, paramLabel = "PORT")
        int port;

        @Option(names = "--ttl", paramLabel = "SECONDS", description = "Lease TTL (server default 30).")
        Long ttl;

        @Option(names = "--zone", paramLabel = "ZONE")
        String zone;

        @Option(names = "--weight", paramLabel = "N", description = "Server default 100.")
        Integer weight;

        @Option(names = "--status", paramLabel = "STATUS", description = "UP (default), DOWN, STARTING or OUT_OF_SERVICE.")
        String status;

        @Option(names = "--secure", description = "The instance speaks TLS.")
        boolean secure;

        @Option(names = "--metadata", paramLabel = "KEY=VALUE", arity = "1..*", mapFallbackValue = "",
                description = "Metadata entries, e.g. --metadata version=1.4.2 team=web.")
        Map<String, String> metadata = new LinkedHashMap<>();

        @Override
        public Integer call() {
            InstanceSpec spec = new InstanceSpec(host, port, secure ? Boolean.TRUE : null, ttl, zone, weight,
                    status == null ? null : parseStatus(status, this), metadata.isEmpty() ? null : metadata);
            JsonNode instance = JsonViews.of(client().register(service, instanceId, spec));
            Printer out = printer();
            if (out.json()) {
                out.json(instance);
            } else if (out.table()) {
                Table table = Formats.instanceTable();
                Formats.instanceRow(table, instance);
                out.table(table);
            } else {
                out.line("registered " + Formats.text(instance, "service") + "/" + Formats.instanceLine(instance));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "deregister", description = "Deregisters an instance (exit 4 when it is not registered).")
    static final class Deregister extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "SERVICE")
        String service;

        @Parameters(index = "1", paramLabel = "ID")
        String instanceId;

        @Override
        public Integer call() {
            long revision = client().deregister(service, instanceId);
            Printer out = printer();
            if (out.json()) {
                ObjectNode answer = Json.object().put("service", service).put("instanceId", instanceId).put("deregistered", true);
                if (revision > 0) {
                    answer.put("revision", revision);
                }
                out.json(answer);
            } else if (out.table()) {
                out.table(new Table("SERVICE", "INSTANCE", "REVISION").row(service, instanceId,
                        revision > 0 ? Long.toString(revision) : ""));
            } else {
                out.line("deregistered " + service + "/" + instanceId);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "heartbeat", description = {"Renews an instance's lease every TTL/3 until interrupted, or once with --once.",
            "Exits 4 when the instance is not registered (it expired: register it again)."})
    static final class Heartbeat extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "SERVICE")
        String service;

        @Parameters(index = "1", paramLabel = "ID")
        String instanceId;

        @Option(names = "--once", description = "Heartbeat once and exit.")
        boolean once;

        @Override
        public Integer call() {
            RosterClient client = client();
            Printer out = printer();
            while (true) {
                JsonNode answer = JsonViews.of(client.heartbeat(service, instanceId));
                if (out.json()) {
                    out.json(answer);
                } else {
                    out.line("heartbeat " + service + "/" + instanceId + " TTL(" + answer.path("ttlSeconds").asString("")
                            + "s), remaining(" + answer.path("remainingSeconds").asString("") + "s)");
                }
                if (once) {
                    return ExitCodes.OK;
                }
                try {
                    Thread.sleep(Math.max(500, answer.path("ttlSeconds").asLong(3) * 1000 / 3));
                } catch (InterruptedException e) {
                    // stopped (the in-process equivalent of Ctrl-C)
                    Thread.currentThread().interrupt();
                    return ExitCodes.OK;
                }
            }
        }
    }

    @Command(name = "list", description = "Lists the services with their instance counts.")
    static final class ListServices extends RosterctlCommand {
        @Override
        public Integer call() {
            JsonNode answer = JsonViews.of(client().services());
            Printer out = printer();
            if (out.json()) {
                out.json(answer);
            } else if (out.table()) {
                Table table = new Table("SERVICE", "INSTANCES", "UP");
                answer.path("services").forEach(service -> table.row(Formats.text(service, "name"),
                        service.path("instances").asString(""), service.path("up").asString("")));
                out.table(table);
            } else {
                answer.path("services").forEach(service -> out.line(Formats.serviceLine(service)));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", description = {"Lists a service's instances (or one instance), one per line:",
            "ID HOST:PORT STATUS [secure] [zone=Z] weight=W [metadata=K=V,…] lease=L ttl=Ts"})
    static final class Get extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "SERVICE")
        String service;

        @Parameters(index = "1", paramLabel = "ID", arity = "0..1", description = "One instance only (exit 4 when absent).")
        String instanceId;

        @Option(names = "--status", paramLabel = "STATUS", description = "Only instances in this status: UP, DOWN, STARTING, OUT_OF_SERVICE.")
        String status;

        @Override
        public Integer call() {
            RosterClient client = client();
            Printer out = printer();
            if (instanceId != null) {
                Instance found = client.instance(service, instanceId, Consistency.LINEARIZABLE);
                JsonNode instance = JsonViews.instance(found);
                if (status != null && found.status() != parseStatus(status, this)) {
                    throw new NotFoundException(null, new Problem(404, "Not found", "instance '" + instanceId + "' of service '"
                            + service + "' is " + found.status() + ", not " + status.toUpperCase(java.util.Locale.ROOT), null, null), 0);
                }
                print(out, instance, List.of(instance));
                return ExitCodes.OK;
            }
            JsonNode answer = JsonViews.of(client.lookup(service, LookupQuery.all()
                    .withStatus(status == null ? null : parseStatus(status, this))));
            java.util.List<JsonNode> instances = new java.util.ArrayList<>();
            answer.path("instances").forEach(instances::add);
            print(out, answer, instances);
            return ExitCodes.OK;
        }

        private static void print(Printer out, JsonNode answer, List<JsonNode> instances) {
            if (out.json()) {
                out.json(answer);
            } else if (out.table()) {
                Table table = Formats.instanceTable();
                instances.forEach(instance -> Formats.instanceRow(table, instance));
                out.table(table);
            } else {
                instances.forEach(instance -> out.line(Formats.instanceLine(instance)));
            }
        }
    }

    @Command(name = "watch", description = {"Prints instance changes of one service, or of every service, as they happen,",
            "until interrupted or --count events: PUT SERVICE/ID HOST:PORT STATUS (reason) or DELETE SERVICE/ID (reason).",
            "-w json prints each event's JSON on one line; -w table prints as simple."})
    static final class Watch extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "SERVICE", arity = "0..1", description = "Default: every service.")
        String service;

        @Option(names = "--rev", paramLabel = "N", description = "Start at revision N (inclusive): replays the changes since N.")
        Long revision;

        @Option(names = "--count", paramLabel = "N", description = "Exit after N events.")
        Integer count;

        @Override
        public Integer call() {
            long after = KvCommands.startAfter(revision, this);
            KvCommands.requirePositive(count, "--count", this);
            Printer out = printer();
            RosterClient client = client();
            WatchUntil<RegistryEvent, InstanceSnapshot> until = new WatchUntil<>(count, event -> {
                if (out.json()) {
                    out.json(JsonViews.of(event));
                } else {
                    out.line(Formats.serviceEventLine(JsonViews.of(event)));
                }
            });
            until.await(service == null ? client.watchServices(after, until) : client.watchService(service, after, until));
            return ExitCodes.OK;
        }
    }

    /** The status as the server spells it; any case is fine. */
    static InstanceStatus parseStatus(String given, RosterctlCommand command) {
        try {
            return InstanceStatus.valueOf(given.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw command.usage("--status must be one of UP, DOWN, STARTING, OUT_OF_SERVICE, not '" + given + "'");
        }
    }
}
