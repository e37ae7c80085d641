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

/** Which member leads, as the members themselves report it in {@code /v1/status}. */
final class Leadership {

    private Leadership() {
    }

    /**
     * Waits until every given member names the same leader and that leader is one of them; fails with every
     * member's last status on timeout.
     */
    static TestMember awaitAgreedLeader(List<TestMember> members, Duration timeout) {
        if (members.isEmpty()) {
            throw new AssertionError("no member is running, so none leads");
        }
        AtomicReference<TestMember> agreed = new AtomicReference<>();
        AtomicReference<String> last = new AtomicReference<>("no status yet");
        try (RosterClient client = RosterClient.builder().endpoints(members.stream().map(TestMember::clientUrl).toList())
                .requestTimeout(Duration.ofSeconds(2)).build()) {
            Awaitility.await("a leader agreed by every running member").atMost(timeout).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        Optional<TestMember> leader = agreedLeader(client, members, last);
                        leader.ifPresent(agreed::set);
                        return leader.isPresent();
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the members did not agree on a leader within " + timeout.toSeconds() + " s; last statuses: "
                    + last.get(), e);
        }
        return agreed.get();
    }

    private static Optional<TestMember> agreedLeader(RosterClient client, List<TestMember> members, AtomicReference<String> report) {
        Map<TestMember, Status> statuses = new LinkedHashMap<>();
        StringBuilder seen = new StringBuilder();
        for (TestMember member : members) {
            try {
                Status status = client.status(member.clientUrl());
                statuses.put(member, status);
                seen.append(System.lineSeparator()).append("  ").append(member.name()).append(": ").append(status);
            } catch (RuntimeException e) {
                seen.append(System.lineSeparator()).append("  ").append(member.name()).append(": ").append(e);
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
