package io.roster.cli;

import io.roster.client.RosterClient;
import io.roster.client.NotFoundException;
import io.roster.client.Problem;
import tools.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;

/** {@code rosterctl lease grant|keep-alive|revoke|timetolive}. */
@Command(name = "lease", description = "Leases: keys bound to a lease are deleted when it expires or is revoked.",
        subcommands = {LeaseCommands.Grant.class, LeaseCommands.KeepAlive.class, LeaseCommands.Revoke.class,
                LeaseCommands.TimeToLive.class})
final class LeaseCommands {

    private LeaseCommands() {
    }

    @Command(name = "grant", description = "Grants a lease of TTL seconds; prints its id.")
    static final class Grant extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "TTL", description = "Seconds.")
        long ttl;

        @Override
        public Integer call() {
            if (ttl < 1) {
                throw usage("TTL must be 1 second or more, not " + ttl);
            }
            JsonNode lease = JsonViews.of(client().grantLease(Duration.ofSeconds(ttl)));
            Printer out = printer();
            if (out.json()) {
                out.json(lease);
            } else if (out.table()) {
                out.table(new Table("ID", "TTL").row(Formats.text(lease, "id"), lease.path("ttlSeconds").asString("") + "s"));
            } else {
                out.line(Formats.leaseGranted(lease));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "keep-alive", description = {"Keeps a lease alive: renews it every TTL/3 until interrupted, or once",
            "with --once. Exits 4 when the lease expired or was revoked."})
    static final class KeepAlive extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = "--once", description = "Renew it once and exit.")
        boolean once;

        @Override
        public Integer call() {
            RosterClient client = client();
            Printer out = printer();
            while (true) {
                JsonNode lease;
                try {
                    lease = JsonViews.of(client.keepAlive(id));
                } catch (NotFoundException e) {
                    if (!once) {
                        Problem problem = e.problem();
                        throw new NotFoundException(e.endpoint(), new Problem(problem.status(), problem.title(),
                                "lease " + id + " expired or revoked", null, null), e.revision());
                    }
                    throw e;
                }
                if (out.json()) {
                    out.json(lease);
                } else {
                    out.line(Formats.leaseKeptAlive(lease));
                }
                if (once) {
                    return ExitCodes.OK;
                }
                long ttlMillis = Duration.ofSeconds(Math.max(1, lease.path("ttlSeconds").asLong(3))).toMillis();
                try {
                    Thread.sleep(Math.max(500, ttlMillis / 3));
                } catch (InterruptedException e) {
                    // stopped (the in-process equivalent of Ctrl-C)
                    Thread.currentThread().interrupt();
                    return ExitCodes.OK;
                }
            }
        }
    }

    @Command(name = "revoke", description = "Revokes a lease, deleting every key bound to it.")
    static final class Revoke extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            JsonNode revoked = JsonViews.of(client().revokeLease(id));
            Printer out = printer();
            if (out.json()) {
                out.json(revoked);
            } else if (out.table()) {
                out.table(new Table("ID", "DELETED KEYS", "REVISION").row(Formats.text(revoked, "id"),
                        revoked.path("deletedKeys").asString(""), revoked.path("revision").asString("")));
            } else {
                out.line(Formats.leaseRevoked(revoked));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "timetolive", description = "A lease's TTL and time left; with --keys, the keys bound to it.")
    static final class TimeToLive extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = "--keys", description = "Also list the keys bound to it.")
        boolean keys;

        @Override
        public Integer call() {
            JsonNode lease = JsonViews.of(client().leaseInfo(id));
            Printer out = printer();
            if (out.json()) {
                out.json(lease);
            } else if (out.table()) {
                java.util.List<String> attached = new java.util.ArrayList<>();
                lease.path("keys").forEach(key -> attached.add(key.asString("")));
                Table table = keys ? new Table("ID", "TTL", "REMAINING", "KEYS") : new Table("ID", "TTL", "REMAINING");
                String ttl = lease.path("ttlSeconds").asString("") + "s";
                String remaining = lease.path("remainingSeconds").asString("") + "s";
                if (keys) {
                    table.row(Formats.text(lease, "id"), ttl, remaining, String.join(",", attached));
                } else {
                    table.row(Formats.text(lease, "id"), ttl, remaining);
                }
                out.table(table);
            } else {
                out.line(Formats.leaseTimeToLive(lease, keys));
            }
            return ExitCodes.OK;
        }
    }
}
