package io.roster.cli;

import io.roster.client.Consistency;
import io.roster.client.KeyEvent;
import io.roster.client.PutRequest;
import io.roster.client.RangeResult;
import io.roster.client.RosterClient;
import tools.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Locale;

/** {@code rosterctl put|get|del|watch}: the key-value store. */
final class KvCommands {

    private KvCommands() {
    }

    @Command(name = "put", description = {"Puts a key; prints OK.",
            "A value that starts with '-' goes after '--': rosterctl put -- KEY -1"})
    static final class Put extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE")
        String value;

        @Option(names = "--lease", paramLabel = "ID", description = "Bind the key to this lease (deleted with it).")
        String lease;

        @Option(names = "--prev-revision", paramLabel = "N",
                description = "Compare-and-swap: only if the key's mod revision is N (0: only if the key does not exist). "
                        + "Exit 5 when it does not match.")
        Long prevRevision;

        @Override
        public Integer call() {
            if (lease != null && lease.isBlank()) {
                throw usage("--lease needs a lease id");
            }
            if (prevRevision != null && prevRevision < 0) {
                throw usage("--prev-revision must be 0 or more, not " + prevRevision);
            }
            PutRequest put = PutRequest.of(key, value).withLease(lease);
            JsonNode answer = JsonViews.of(client().put(prevRevision == null ? put : put.ifModRevision(prevRevision)));
            Printer out = printer();
            if (out.json()) {
                out.json(answer);
            } else if (out.table()) {
                Table table = Formats.kvTable();
                Formats.kvRow(table, answer);
                out.table(table);
            } else {
                out.line("OK");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", description = {"Gets a key (exit 4 when it does not exist), or with --prefix every key under it.",
            "Simple output is the key on one line and its value on the next."})
    static final class Get extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Option(names = "--prefix", description = "Every key that starts with KEY, in key order.")
        boolean prefix;

        @Option(names = "--limit", paramLabel = "N", description = "With --prefix: at most N keys.")
        Integer limit;

        @Option(names = "--consistency", paramLabel = "l|s",
                description = "l (linearizable, the default) or s (serializable: this member's local copy, faster).")
        String consistency;

        @Option(names = "--print-value-only", description = "Simple output: values only.")
        boolean valuesOnly;

        @Option(names = "--keys-only", description = "Simple output: keys only.")
        boolean keysOnly;

        @Override
        public Integer call() {
            if (limit != null && !prefix) {
                throw usage("--limit goes with --prefix");
            }
            if (limit != null && limit < 1) {
                throw usage("--limit must be 1 or more, not " + limit);
            }
            Consistency read = consistency(consistency);
            JsonNode answer = prefix ? JsonViews.of(client().getPrefix(key, limit == null ? 0 : limit, read))
                    : JsonViews.of(client().get(key, read));
            Printer out = printer();
            if (out.json()) {
                out.json(answer);
                return ExitCodes.OK;
            }
            Iterable<JsonNode> kvs = prefix ? answer.path("kvs") : java.util.List.of(answer);
            if (out.table()) {
                Table table = Formats.kvTable();
                kvs.forEach(kv -> Formats.kvRow(table, kv));
                out.table(table);
            } else {
                for (JsonNode kv : kvs) {
                    if (!valuesOnly) {
                        out.line(Formats.text(kv, "key"));
                    }
                    if (!keysOnly) {
                        out.line(Formats.text(kv, "value"));
                    }
                }
            }
            return ExitCodes.OK;
        }

        private Consistency consistency(String given) {
            if (given == null) {
                return Consistency.LINEARIZABLE;
            }
            switch (given.toLowerCase(Locale.ROOT)) {
                case "l":
                case "linearizable":
                    return Consistency.LINEARIZABLE;
                case "s":
                case "serializable":
                    return Consistency.SERIALIZABLE;
                default:
                    throw usage("--consistency must be l (linearizable) or s (serializable), not '" + given + "'");
            }
        }
    }

    @Command(name = "del", aliases = "delete", description = "Deletes a key, or with --prefix every key under it; prints how many.")
    static final class Del extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Option(names = "--prefix", description = "Every key that starts with KEY, at one revision.")
        boolean prefix;

        @Override
        public Integer call() {
            JsonNode answer = JsonViews.of(prefix ? client().deletePrefix(key) : client().delete(key));
            Printer out = printer();
            if (out.json()) {
                out.json(answer);
            } else if (out.table()) {
                out.table(new Table("DELETED", "REVISION").row(answer.path("deleted").asString(""),
                        answer.path("revision").asString("")));
            } else {
                out.line(answer.path("deleted").asString("0"));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "watch", description = {"Prints changes to a key (or with --prefix, under it) as they happen,",
            "until interrupted or --count events; resumes on another endpoint if the stream breaks.",
            "Simple output: the type (PUT/DELETE), the key, and on PUT the value, one per line.",
            "-w json prints each event's JSON on one line; -w table prints as simple."})
    static final class Watch extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Option(names = "--prefix", description = "Every key that starts with KEY.")
        boolean prefix;

        @Option(names = "--rev", paramLabel = "N",
                description = "Start at revision N (inclusive, as etcdctl): replays the changes since N. Default: from now.")
        Long revision;

        @Option(names = "--count", paramLabel = "N", description = "Exit after N events.")
        Integer count;

        @Override
        public Integer call() {
            long after = startAfter(revision, this);
            requirePositive(count, "--count", this);
            Printer out = printer();
            RosterClient client = client();
            WatchUntil<KeyEvent, RangeResult> until = new WatchUntil<>(count, event -> {
                if (out.json()) {
                    out.json(JsonViews.of(event));
                } else {
                    Formats.kvEventLines(JsonViews.of(event)).forEach(out::line);
                }
            });
            until.await(prefix ? client.watchPrefix(key, after, until) : client.watchKey(key, after, until));
            return ExitCodes.OK;
        }
    }

    /** {@code --rev N} (inclusive) as the server's "after" revision; -1 (from now) without it. */
    static long startAfter(Long revision, RosterctlCommand command) {
        if (revision == null) {
            return -1;
        }
        if (revision < 1) {
            throw command.usage("--rev must be 1 or more, not " + revision);
        }
        return revision - 1;
    }

    static void requirePositive(Integer value, String option, RosterctlCommand command) {
        if (value != null && value < 1) {
            throw command.usage(option + " must be 1 or more, not " + value);
        }
    }
}
