package io.roster.testing.history;

import io.roster.testing.history.Operation.Kind;
import io.roster.testing.history.Operation.Outcome;
import io.roster.testing.history.Operation.Output;

import java.util.ArrayList;
import java.util.List;

/** Builds synthetic histories for the checker tests; times are in milliseconds from the start. */
final class Ops {

    private final List<Operation> operations = new ArrayList<>();

    List<Operation> all() {
        return List.copyOf(operations);
    }

    Operation put(String client, String key, String value, long invokeMs, long completeMs, long revision) {
        return add(client, Kind.PUT, key, value, null, Outcome.OK, invokeMs, completeMs, Output.written(revision));
    }

    Operation putUnknown(String client, String key, String value, long invokeMs) {
        return add(client, Kind.PUT, key, value, null, Outcome.UNKNOWN, invokeMs, -1, null);
    }

    Operation putFailed(String client, String key, String value, long invokeMs, long completeMs) {
        return add(client, Kind.PUT, key, value, null, Outcome.FAILED, invokeMs, completeMs, null);
    }

    Operation cas(String client, String key, String value, long prevRevision, long invokeMs, long completeMs,
                  long revision) {
        return add(client, Kind.CAS, key, value, prevRevision, Outcome.OK, invokeMs, completeMs, Output.written(revision));
    }

    Operation casConflict(String client, String key, String value, long prevRevision, long invokeMs, long completeMs,
                          Entry current) {
        return add(client, Kind.CAS, key, value, prevRevision, Outcome.OK, invokeMs, completeMs, Output.conflict(current));
    }

    Operation get(String client, String key, long invokeMs, long completeMs, String value, long modRevision) {
        return add(client, Kind.GET, key, null, null, Outcome.OK, invokeMs, completeMs, Output.found(value, modRevision));
    }

    Operation getAbsent(String client, String key, long invokeMs, long completeMs) {
        return add(client, Kind.GET, key, null, null, Outcome.OK, invokeMs, completeMs, Output.absent());
    }

    Operation delete(String client, String key, long invokeMs, long completeMs, int deleted, long revision) {
        return add(client, Kind.DELETE, key, null, null, Outcome.OK, invokeMs, completeMs, Output.deleted(deleted, revision));
    }

    Operation deleteUnknown(String client, String key, long invokeMs) {
        return add(client, Kind.DELETE, key, null, null, Outcome.UNKNOWN, invokeMs, -1, null);
    }

    private Operation add(String client, Kind kind, String key, String value, Long prevRevision, Outcome outcome,
                          long invokeMs, long completeMs, Output output) {
        long complete = outcome == Outcome.UNKNOWN ? Long.MAX_VALUE : completeMs * 1_000_000;
        Operation operation = new Operation(operations.size(), client, kind, key, value, prevRevision, outcome,
                invokeMs * 1_000_000, complete, output);
        operations.add(operation);
        return operation;
    }
}
