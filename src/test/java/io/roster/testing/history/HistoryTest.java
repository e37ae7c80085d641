package io.roster.testing.history;

import io.roster.testing.history.Operation.Kind;
import io.roster.testing.history.Operation.Outcome;
import io.roster.testing.history.Operation.Output;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryTest {

    @Test
    void recordsOutcomesAndTimes() {
        History history = new History();
        history.invokePut("c1", "k", "a").ok(Output.written(3));
        history.invokeGet("c2", "k").ok(Output.found("a", 3));
        history.invokeCas("c1", "k", "b", 2).ok(Output.conflict(new Entry("a", 3)));
        history.invokeDelete("c2", "k").failed();
        history.invokePut("c3", "k", "c").unknown();

        List<Operation> operations = history.operations();

        assertThat(operations).extracting(Operation::kind)
                .containsExactly(Kind.PUT, Kind.GET, Kind.CAS, Kind.DELETE, Kind.PUT);
        assertThat(operations).extracting(Operation::outcome)
                .containsExactly(Outcome.OK, Outcome.OK, Outcome.OK, Outcome.FAILED, Outcome.UNKNOWN);
        assertThat(operations.get(0).completeNanos()).isGreaterThanOrEqualTo(operations.get(0).invokeNanos());
        assertThat(operations.get(2).prevRevision()).isEqualTo(2);
        assertThat(operations.get(4).completeNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void operationNeverCompletedCountsAsUnknown() {
        History history = new History();
        history.invokePut("c1", "k", "a");

        assertThat(history.operations()).singleElement().extracting(Operation::outcome).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void operationCompletesOnlyOnce() {
        History history = new History();
        History.Pending put = history.invokePut("c1", "k", "a");
        put.unknown();

        assertThatThrownBy(() -> put.ok(Output.written(1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void concurrentClientsGetDistinctIds() throws InterruptedException {
        History history = new History();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int c = 0; c < 4; c++) {
            String client = "c" + c;
            clients.submit(() -> {
                for (int n = 0; n < 500; n++) {
                    history.invokeGet(client, "k").ok(Output.absent());
                }
            });
        }
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(history.operations()).hasSize(2_000).extracting(Operation::id).doesNotHaveDuplicates()
                .allMatch(id -> id < 2_000);
        assertThat(history.operations()).allMatch(operation -> operation.outcome() == Outcome.OK);
    }

    @Test
    void roundTripsThroughJsonLines(@TempDir Path directory) throws IOException {
        History history = new History();
        history.invokePut("c1", "k", "a").ok(Output.written(3));
        history.invokeGet("c2", "k").ok(Output.found("a", 3));
        history.invokeGet("c2", "k").ok(Output.absent());
        history.invokeCas("c1", "k", "b", 2).ok(Output.conflict(new Entry("a", 3)));
        history.invokeCas("c1", "k", "b", 0).ok(Output.conflict(null));
        history.invokeDelete("c2", "k").ok(Output.deleted(1, 4));
        history.invokeDelete("c2", "k").failed();
        history.invokePut("c3", "k", "c").unknown();
        history.invokePut("c3", "k", "d");
        Path file = directory.resolve("history.jsonl");

        history.write(file);
        History read = History.read(file);

        assertThat(read.operations()).isEqualTo(history.operations());
        assertThat(Files.readAllLines(file)).hasSize(9).first().asString()
                .startsWith("{\"id\":0,\"client\":\"c1\",\"kind\":\"PUT\",\"key\":\"k\",\"value\":\"a\"")
                .doesNotContain("acknowledgedChange");
        assertThat(new LinearizabilityChecker().check(read).key("k").verdict())
                .isEqualTo(new LinearizabilityChecker().check(history).key("k").verdict());
    }
}
