package io.roster.testing.cluster;

import io.roster.client.RosterClient;
import io.roster.client.Status;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/** Which member leads, as the members themselves report it in {@code /v1/status}, whatever runs them. */
public final class Leadership {

    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);

    private Leadership() {
    }

    /**
     * Waits until every member that {@code running} lists names the same leader and that leader is one of them;
     * fails with every member's last status on timeout.
     *
     * @param clientUrl where to ask a member for its status
     */
    public static <M> M awaitAgreedLeader(Supplier<List<M>> running, Function<M, String> clientUrl, Function<M, String> name,
                                          Duration timeout) {
        List<M> atStart = running.get();
        if (atStart.isEmpty()) {
            throw new AssertionError("no member is running, so none leads");
        }
        AtomicReference<M> agreed = new AtomicReference<>();
        AtomicReference<String> last = new AtomicReference<>("no status yet");
        try (RosterClient client = statusClient(atStart, clientUrl)) {
            Awaitility.await("a leader agreed by every running member").atMost(timeout).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        Optional<M> leader = agreedLeader(client, running.get(), clientUrl, name, last);
                        leader.ifPresent(agreed::set);
                        return leader.isPresent();
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("running members did not agree on a leader within " + timeout.toSeconds() + " s; last statuses: "
                    + last.get(), e);
        }
        return agreed.get();
    }

    /** The leader every given member names right now, if they agree on one of them. */
    public static <M> Optional<M> agreedLeader(List<M> members, Function<M, String> clientUrl, Function<M, String> name) {
        if (members.isEmpty()) {
            return Optional.empty();
        }
        try (RosterClient client = statusClient(members, clientUrl)) {
            return agreedLeader(client, members, clientUrl, name, new AtomicReference<>());
        }
    }

    /** A client used only to ask given endpoints directly, so its own endpoint list matters little. */
    private static <M> RosterClient statusClient(List<M> members, Function<M, String> clientUrl) {
        return RosterClient.builder().endpoints(members.stream().map(clientUrl).toList()).requestTimeout(STATUS_TIMEOUT).build();
    }

    private static <M> Optional<M> agreedLeader(RosterClient client, List<M> members, Function<M, String> clientUrl,
                                                Function<M, String> name, AtomicReference<String> report) {
        if (members.isEmpty()) {
            report.set("no member is running");
            return Optional.empty();
        }
        Map<M, Status> statuses = new LinkedHashMap<>();
        StringBuilder seen = new StringBuilder();
        for (M member : members) {
            try {
                Status status = client.status(clientUrl.apply(member));
                statuses.put(member, status);
                seen.append(System.lineSeparator()).append("  ").append(name.apply(member)).append(": ").append(status);
            } catch (RuntimeException e) {
                seen.append(System.lineSeparator()).append("  ").append(name.apply(member)).append(": ").append(e);
            }
        }
        report.set(seen.toString());
        if (statuses.size() != members.size()) {
            return Optional.empty();
        }
        List<String> leaders = statuses.values().stream().map(Status::leader).distinct().toList();
        if (leaders.size() != 1 || leaders.get(0) == null) {
            return Optional.empty();
        }
        return statuses.entrySet().stream().filter(entry -> Objects.equals(entry.getValue().memberId(), leaders.get(0)))
                .map(Map.Entry::getKey).findFirst();
    }
}
