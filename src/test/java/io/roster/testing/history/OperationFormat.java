package io.roster.testing.history;

import io.roster.testing.history.Operation.Output;

import java.util.List;
import java.util.Locale;

/** Renders operations for violation reports: client, inputs, outputs, and times relative to the history's start. */
final class OperationFormat {

    private final long startNanos;

    OperationFormat(long startNanos) {
        this.startNanos = startNanos;
    }

    static OperationFormat startingAtFirstInvocation(List<Operation> operations) {
        return new OperationFormat(operations.stream().mapToLong(Operation::invokeNanos).min().orElse(0));
    }

    String describe(Operation operation) {
        String completed = operation.completeNanos() == Long.MAX_VALUE ? "never" : millis(operation.completeNanos());
        return String.format(Locale.ROOT, "#%d %s %s -> %s [%s .. %s]", operation.id(), operation.client(),
                request(operation), response(operation), millis(operation.invokeNanos()), completed);
    }

    private static String request(Operation operation) {
        return switch (operation.kind()) {
            case PUT -> "PUT " + operation.key() + " = " + quoted(operation.value());
            case CAS -> "CAS " + operation.key() + " = " + quoted(operation.value()) + " if revision "
                    + operation.prevRevision();
            case GET -> "GET " + operation.key();
            case DELETE -> "DELETE " + operation.key();
        };
    }

    private static String response(Operation operation) {
        if (operation.output() == null) {
            return operation.outcome().name();
        }
        Output output = operation.output();
        return switch (operation.kind()) {
            case PUT -> "OK revision " + output.revision();
            case CAS -> output.conflict() ? "CONFLICT, current " + entry(output.entry()) : "OK revision " + output.revision();
            case GET -> "OK " + entry(output.entry());
            case DELETE -> "OK deleted " + output.deleted() + " at revision " + output.revision();
        };
    }

    static String entry(Entry entry) {
        return entry == null ? "absent" : quoted(entry.value()) + " at revision " + entry.modRevision();
    }

    private static String quoted(String value) {
        return "\"" + value + "\"";
    }

    String millis(long nanos) {
        return String.format(Locale.ROOT, "+%.3f ms", (nanos - startNanos) / 1e6);
    }
}
