package io.roster.cli;

import io.roster.client.ClusterStatus;
import io.roster.client.EndpointFailure;
import io.roster.client.Member;
import io.roster.client.MemberStatus;
import io.roster.client.NoEndpointAvailableException;
import io.roster.client.RosterClient;
import io.roster.client.RosterException;
import io.roster.client.RosterServerException;
import io.roster.client.internal.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** {@code rosterctl endpoint health|status}: asks every endpoint, not just the first that answers. */
@Command(name = "endpoint", description = "Health and status of every endpoint.",
        subcommands = {EndpointCommands.Health.class, EndpointCommands.Status.class})
final class EndpointCommands {

    private EndpointCommands() {
    }

    /** What one endpoint said, or why it said nothing. */
    record Probe(String endpoint, JsonNode answer, boolean ok, long tookNanos, String error) {
    }

    abstract static class EndpointCommand extends RosterctlCommand {

        /** Whether --cluster was given. */
        abstract boolean cluster();

        List<String> targets() {
            RosterClient client = client();
            if (!cluster()) {
                return client.endpoints();
            }
            Set<String> urls = new LinkedHashSet<>();
            for (Member member : client.members().members()) {
                member.clientUrls().forEach(url -> urls.add(RosterClient.normalizeEndpoint(url)));
            }
            if (urls.isEmpty()) {
                throw new RosterException("no member has a client URL yet");
            }
            return List.copyOf(urls);
        }

        /** Probes every target at once; the results are in the targets' order. */
        List<Probe> probeAll(List<String> targets, Function<String, Probe> probe) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(targets.size(), 8), runnable -> {
                Thread thread = new Thread(runnable, "rosterctl-probe");
                thread.setDaemon(true);
                return thread;
            });
            try {
                List<CompletableFuture<Probe>> futures = new ArrayList<>();
                for (String target : targets) {
                    futures.add(CompletableFuture.supplyAsync(() -> probe.apply(target), pool));
                }
                return futures.stream().map(CompletableFuture::join).toList();
            } finally {
                pool.shutdownNow();
            }
        }

        /** When no endpoint answered at all: the one "no endpoint answered" error, exit 3. */
        static void requireAnyAnswer(List<Probe> probes) {
            if (probes.stream().noneMatch(probe -> probe.answer() != null)) {
                List<EndpointFailure> failures = probes.stream()
                        .map(probe -> new EndpointFailure(probe.endpoint(), probe.error())).toList();
                throw new NoEndpointAvailableException(failures);
            }
        }
    }

    @Command(name = "health", description = {"Checks the health of every endpoint (its /actuator/health).",
            "Exits 1 when any endpoint is unhealthy, 3 when none answers."})
    static final class Health extends EndpointCommand {
        @Option(names = "--cluster", description = "Ask every member's client URLs (from member list), not just --endpoints.")
        boolean cluster;

        @Override
        boolean cluster() {
            return cluster;
        }

        @Override
        public Integer call() {
            RosterClient client = client();
            List<Probe> probes = probeAll(targets(), endpoint -> {
                long start = System.nanoTime();
                try {
                    io.roster.client.Health response = client.health(endpoint);
                    long took = System.nanoTime() - start;
                    JsonNode health = parse(response.document());
                    boolean up = response.isUp();
                    String error = up ? null : "HTTP " + response.httpStatus() + ": " + Formats.healthSummary(health);
                    return new Probe(endpoint, health, up, took, error);
                } catch (RuntimeException e) {
                    return new Probe(endpoint, null, false, System.nanoTime() - start, failure(e));
                }
            });
            requireAnyAnswer(probes);
            Printer out = printer();
            if (out.json()) {
                ArrayNode array = Json.array();
                for (Probe probe : probes) {
                    ObjectNode node = array.addObject().put("endpoint", probe.endpoint()).put("health", probe.ok())
                            .put("took", Formats.millis(probe.tookNanos()));
                    if (probe.error() != null) {
                        node.put("error", probe.error());
                    }
                    if (probe.answer() != null && !probe.answer().isMissingNode()) {
                        node.set("status", probe.answer());
                    }
                }
                out.json(array);
            } else if (out.table()) {
                Table table = new Table("ENDPOINT", "HEALTH", "TOOK", "ERROR");
                probes.forEach(probe -> table.row(probe.endpoint(), probe.ok(), Formats.millis(probe.tookNanos()),
                        probe.error() == null ? "" : probe.error()));
                out.table(table);
            } else {
                for (Probe probe : probes) {
                    if (probe.ok()) {
                        out.line(probe.endpoint() + " is healthy: " + Formats.healthSummary(probe.answer()) + ": took = "
                                + Formats.millis(probe.tookNanos()));
                    } else {
                        out.line(probe.endpoint() + " is unhealthy: " + probe.error() + ": took = " + Formats.millis(probe.tookNanos()));
                    }
                }
            }
            long unhealthy = probes.stream().filter(probe -> !probe.ok()).count();
            if (unhealthy > 0) {
                err().println("Error: unhealthy cluster: " + unhealthy + " of " + probes.size() + " endpoints unhealthy");
                err().flush();
                return ExitCodes.ERROR;
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", description = {"Prints every endpoint's status: member id, name, version, db size, leader,",
            "Raft term and indexes, store revision. Exits 1 when any endpoint fails, 3 when none answers."})
    static final class Status extends EndpointCommand {
        @Option(names = "--cluster", description = {"Every member in the member list, one row each, as the endpoint that answers",
                "gathers their statuses over the peer port (GET /v1/status/members): one request, and members this machine",
                "cannot reach still show. A row's endpoint is the member's client URL. Against a member without that API,",
                "asks every member's client URL instead."})
        boolean cluster;

        @Override
        boolean cluster() {
            return cluster;
        }

        @Override
        public Integer call() {
            RosterClient client = client();
            List<Probe> probes = cluster ? fromTheCluster(client) : null;
            if (probes == null) {
                probes = probeAll(targets(), endpoint -> {
                    long start = System.nanoTime();
                    try {
                        JsonNode status = JsonViews.of(client.status(endpoint));
                        return new Probe(endpoint, status, true, System.nanoTime() - start, null);
                    } catch (RuntimeException e) {
                        return new Probe(endpoint, null, false, System.nanoTime() - start, failure(e));
                    }
                });
            }
            requireAnyAnswer(probes);
            Printer out = printer();
            if (out.json()) {
                ArrayNode array = Json.array();
                for (Probe probe : probes) {
                    ObjectNode node = array.addObject().put("endpoint", probe.endpoint());
                    if (probe.answer() != null) {
                        node.set("status", probe.answer());
                    } else {
                        node.put("error", probe.error());
                    }
                }
                out.json(array);
            } else if (out.table()) {
                Table table = Formats.endpointStatusTable();
                probes.forEach(probe -> Formats.endpointStatusRow(table, probe.endpoint(), probe.answer(), probe.error()));
                out.table(table);
            } else {
                for (Probe probe : probes) {
                    if (probe.answer() != null) {
                        out.line(Formats.endpointStatusLine(probe.endpoint(), probe.answer()));
                    }
                }
            }
            long failed = probes.stream().filter(probe -> probe.answer() == null).count();
            for (Probe probe : probes) {
                if (probe.answer() == null) {
                    err().println("Failed to get the status of endpoint " + probe.endpoint() + " (" + probe.error() + ")");
                }
            }
            err().flush();
            return failed > 0 ? ExitCodes.ERROR : ExitCodes.OK;
        }
    }

    /**
     * Every member's status as the endpoint that answers gathered them, one probe per member, in the member list's
     * order; null when that endpoint predates {@code GET /v1/status/members} (then each member is asked itself).
     */
    static List<Probe> fromTheCluster(RosterClient client) {
        long start = System.nanoTime();
        ClusterStatus all;
        try {
            all = client.clusterStatus();
        } catch (RosterServerException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
        long took = System.nanoTime() - start;
        List<Probe> probes = new ArrayList<>();
        for (MemberStatus member : all.members()) {
            String endpoint = member.clientUrls().isEmpty() ? member.peerUrls().get(0) + " (peer URL; no client URL yet)"
                    : RosterClient.normalizeEndpoint(member.clientUrls().get(0));
            if (member.status() != null) {
                probes.add(new Probe(endpoint, JsonViews.of(member.status()), true, took, null));
            } else {
                probes.add(new Probe(endpoint, null, false, took, member.reachable() ? member.error()
                        : "no answer over the peer port: " + member.error()));
            }
        }
        return probes;
    }

    /** A short reason: the client's words for connection failures, the server's detail for errors. */
    static String failure(Exception e) {
        if (e instanceof NoEndpointAvailableException) {
            return ((NoEndpointAvailableException) e).failures().get(0).reason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A health document, or a missing node when the answer was not JSON (then the status code says enough). */
    private static JsonNode parse(String document) {
        try {
            return Json.parse(document);
        } catch (RuntimeException e) {
            return MissingNode.getInstance();
        }
    }
}
