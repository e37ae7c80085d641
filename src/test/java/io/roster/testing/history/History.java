package io.roster.testing.history;

import io.roster.testing.history.Operation.Kind;
import io.roster.testing.history.Operation.Outcome;
import io.roster.testing.history.Operation.Output;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A thread-safe recorder of the operations concurrent clients perform, and their outcomes. An operation that is
 * invoked and never completed counts as UNKNOWN: a client that died or gave up cannot know whether it applied.
 * A history is written and read as JSON lines, one operation a line, so a failed run can be checked again later.
 */
public final class History {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Indexed by operation id; an invoked operation sits here as UNKNOWN until it completes. */
    private final List<Operation> operations = new ArrayList<>();
    /** Ids completed so far, to refuse a second completion even of an UNKNOWN one. */
    private final BitSet completed = new BitSet();

    public History() {
    }

    /** A history of operations recorded elsewhere, e.g. built by a test; their ids must be unique. */
    public static History of(Collection<Operation> recorded) {
        History history = new History();
        recorded.stream().sorted(Comparator.comparingLong(Operation::id)).forEach(history.operations::add);
        return history;
    }

    public Pending invokePut(String client, String key, String value) {
        return invoke(client, Kind.PUT, key, value, null);
    }

    public Pending invokeCas(String client, String key, String value, long prevRevision) {
        return invoke(client, Kind.CAS, key, value, prevRevision);
    }

    public Pending invokeGet(String client, String key) {
        return invoke(client, Kind.GET, key, null, null);
    }

    public Pending invokeDelete(String client, String key) {
        return invoke(client, Kind.DELETE, key, null, null);
    }

    /** Records that {@code client} is about to send the request; call just before sending it. */
    public synchronized Pending invoke(String client, Kind kind, String key, String value, Long prevRevision) {
        long id = operations.size();
        operations.add(new Operation(id, client, kind, key, value, prevRevision, Outcome.UNKNOWN, System.nanoTime(),
                Long.MAX_VALUE, null));
        return new Pending(id);
    }

    /** Every operation so far, by id; those not yet completed as UNKNOWN. */
    public synchronized List<Operation> operations() {
        return List.copyOf(operations);
    }

    public void write(Path file) {
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Operation operation : operations()) {
                writer.write(JSON.writeValueAsString(operation));
                writer.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static History read(Path file) {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return of(lines.filter(line -> !line.isBlank()).map(line -> JSON.readValue(line, Operation.class)).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void complete(long id, Outcome outcome, Output output) {
        Operation invoked = operations.get((int) id);
        if (completed.get((int) id)) {
            throw new IllegalStateException("operation " + id + " was already completed: " + invoked);
        }
        completed.set((int) id);
        long completeNanos = outcome == Outcome.UNKNOWN ? Long.MAX_VALUE : System.nanoTime();
        operations.set((int) id, new Operation(id, invoked.client(), invoked.kind(), invoked.key(), invoked.value(),
                invoked.prevRevision(), outcome, invoked.invokeNanos(), completeNanos, output));
    }

    /** An invoked operation, to be completed exactly once by the client that invoked it. */
    public final class Pending {

        private final long id;

        private Pending(long id) {
            this.id = id;
        }

        public long id() {
            return id;
        }

        public void ok(Output output) {
            complete(id, Outcome.OK, output);
        }

        /** The operation surely did not apply (a 4xx other than a conflict, or a 503 with mayHaveApplied false). */
        public void failed() {
            complete(id, Outcome.FAILED, null);
        }

        /** The operation may have applied (a timeout, a reset connection, a 503 with mayHaveApplied true). */
        public void unknown() {
            complete(id, Outcome.UNKNOWN, null);
        }
    }
}
