package io.roster.chaos;

import io.roster.testing.ProcessCluster;
import io.roster.testing.RosterHttp;
import io.roster.testing.RosterProcess;
import io.roster.testing.SmallDisk;
import io.roster.testing.net.Fault;
import io.roster.testing.net.Network;
import tools.jackson.databind.JsonNode;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Injects faults into a process cluster whose links run through a {@link Network}, one round at a time: a
 * seeded choice of one fault, or two at once, held for a few seconds, healed, then a calm spell. Every
 * injection and heal is logged with its time since the start, so that a violation can be read against what
 * the cluster went through.
 */
final class Nemesis {

    /** Every kind of fault the nemesis injects. */
    enum Kind {
        /** kill -9 a member; restart it on heal. */
        KILL,
        /** SIGSTOP a member; SIGCONT on heal. */
        PAUSE,
        /** A minority of the members cut off from the majority, both ways. */
        MAJORITY_MINORITY,
        /** The leader alone on its side. */
        ISOLATED_LEADER,
        /** Two sides that cannot see each other, and one member that sees both. */
        BRIDGE,
        /** One member's messages reach no other member, while it still hears them all. */
        ONE_WAY,
        /** A minority cut off and let back in, again and again, a few hundred milliseconds each time. */
        FLAPPING,
        /** A member removed from the cluster; on heal added back under its name and started on an empty data dir. */
        MEMBER_CHURN,
        /** A member's disk filled; on heal emptied, and the member restarted if it stopped (as liveness would have it). */
        DISK_FULL
    }

    private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(10);
    private static final int MIN_HOLD_MILLIS = 2_000;
    private static final int MAX_HOLD_MILLIS = 6_000;
    private static final int MIN_CALM_MILLIS = 1_000;
    private static final int MAX_CALM_MILLIS = 3_000;

    private final ProcessCluster cluster;
    private final Network network;
    private final List<Kind> kinds;
    private final Random random;
    private final long startNanos;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Map<Kind, Integer> injections = new EnumMap<>(Kind.class);
    private final AtomicInteger rejoins = new AtomicInteger();
    /** Removals whose outcome the first answer left open, settled once the round's faults are healed. */
    private final List<Runnable> unsettledRemovals = new ArrayList<>();
    private final Map<String, SmallDisk> disks;

    /** @param disks each member's small disk, for {@link Kind#DISK_FULL} */
    Nemesis(ProcessCluster cluster, List<Kind> kinds, Map<String, SmallDisk> disks, long seed, long startNanos) {
        this.cluster = cluster;
        this.disks = Map.copyOf(disks);
        this.network = cluster.network();
        this.kinds = List.copyOf(kinds);
        this.random = new Random(seed);
        this.startNanos = startNanos;
    }

    /** Rounds of faults until the deadline; everything is healed when this returns. */
    void runUntil(long deadlineNanos) {
        while (System.nanoTime() < deadlineNanos && !Thread.currentThread().isInterrupted()) {
            List<Runnable> heals = new ArrayList<>();
            try {
                Kind first = pick();
                List<String> members = shuffledRunning();
                heals.add(inject(first, members));
                if (random.nextInt(100) < 30 && kinds.size() > 1) {
                    // Mixed: another kind of fault at once, on other members where it picks one.
                    Kind second = pick();
                    while (second == first) {
                        second = pick();
                    }
                    heals.add(inject(second, rotated(members)));
                }
                Pacing.pause(MIN_HOLD_MILLIS + random.nextInt(MAX_HOLD_MILLIS - MIN_HOLD_MILLIS));
            } finally {
                for (int i = heals.size() - 1; i >= 0; i--) {
                    heals.get(i).run();
                }
                unsettledRemovals.forEach(Runnable::run);
                unsettledRemovals.clear();
            }
            Pacing.pause(MIN_CALM_MILLIS + random.nextInt(MAX_CALM_MILLIS - MIN_CALM_MILLIS));
        }
    }

    List<String> log() {
        return List.copyOf(log);
    }

    /** How often each kind of fault was injected. */
    synchronized Map<Kind, Integer> injections() {
        return Map.copyOf(injections);
    }

    private Kind pick() {
        return kinds.get(random.nextInt(kinds.size()));
    }

    /** Injects one fault, on {@code members.get(0)} where it targets one member, and returns what heals it. */
    private Runnable inject(Kind kind, List<String> members) {
        synchronized (this) {
            injections.merge(kind, 1, Integer::sum);
        }
        return switch (kind) {
            case KILL -> kill(members.get(0));
            case PAUSE -> pause(members.get(0));
            case MAJORITY_MINORITY -> split(minority(members), majority(members));
            case ISOLATED_LEADER -> {
                String leader = cluster.agreedLeader().map(RosterProcess::name).orElse(members.get(0));
                yield split(Set.of(leader), others(leader));
            }
            case BRIDGE -> bridge(members);
            case ONE_WAY -> oneWay(members.get(0));
            case FLAPPING -> flap(minority(members), majority(members));
            case MEMBER_CHURN -> churn(members.get(0));
            case DISK_FULL -> fillDisk(members.get(0));
        };
    }

    private Runnable kill(String name) {
        RosterProcess member = cluster.member(name);
        note("kill -9 " + name);
        member.kill9();
        return () -> {
            note("restart " + name);
            member.restart();
        };
    }

    private Runnable pause(String name) {
        RosterProcess member = cluster.member(name);
        note("SIGSTOP " + name);
        member.pause();
        return () -> {
            note("SIGCONT " + name);
            member.resume();
        };
    }

    private Runnable split(Set<String> side, Set<String> otherSide) {
        Fault fault = linkFault();
        note("partition " + side + " | " + otherSide + " (" + fault + ")");
        network.partition(side, otherSide, fault);
        return () -> {
            note("heal " + side + " | " + otherSide);
            heal(side, otherSide);
        };
    }

    /** The first member sees the second and third, which cannot see each other. */
    private Runnable bridge(List<String> members) {
        if (members.size() < 3) {
            return split(minority(members), majority(members));
        }
        note("bridge: " + members.get(0) + " between " + members.get(1) + " and " + members.get(2));
        return split(Set.of(members.get(1)), Set.of(members.get(2)));
    }

    /** Dropped rather than cut: over TCP, a cut in one direction resets the connections that carry both. */
    private Runnable oneWay(String name) {
        Set<String> others = others(name);
        note("one-way: " + name + " -> " + others + " dropped");
        others.forEach(other -> network.set(name, other, Fault.DROP));
        return () -> {
            note("heal one-way " + name);
            others.forEach(other -> network.heal(name, other));
        };
    }

    private Runnable flap(Set<String> side, Set<String> otherSide) {
        note("flapping " + side + " | " + otherSide);
        Random flips = new Random(random.nextLong());
        Thread flapper = new Thread(() -> {
            boolean cut = false;
            while (!Thread.currentThread().isInterrupted()) {
                if (cut) {
                    heal(side, otherSide);
                } else {
                    network.partition(side, otherSide, Fault.DROP);
                }
                cut = !cut;
                if (!Pacing.pause(200 + flips.nextInt(600))) {
                    return;
                }
            }
        }, "nemesis-flapping");
        flapper.setDaemon(true);
        flapper.start();
        return () -> {
            flapper.interrupt();
            join(flapper);
            note("heal flapping " + side + " | " + otherSide);
            heal(side, otherSide);
        };
    }

    /**
     * Removes the member through another one, as an operator would, and stops it; the heal adds it back and
     * starts it on a new, empty data dir. A removal refused for want of a quorum (while other faults hold) leaves
     * the member as it is; one without a clear answer (none at all, a 503 that may have applied, a 409 saying it
     * is recorded but not yet out of Raft's configuration) is settled once every fault of the round is healed.
     */
    private Runnable churn(String name) {
        RosterProcess leaving = cluster.member(name);
        String id;
        try {
            id = memberIdAt(otherRunning(leaving), ProcessCluster.peerUrl(cluster.peerPortFor(name)));
        } catch (RuntimeException unavailable) {
            note("removing member " + name + " failed: " + unavailable);
            return () -> { };
        }
        RosterHttp.Reply removed;
        try {
            removed = otherRunning(leaving).client().withTimeout(CONTROL_TIMEOUT).request("DELETE", "/v1/members/" + id, null);
        } catch (RuntimeException unanswered) {
            return settledAfterTheHeals(name, leaving, id, "got no answer (" + unanswered + ")");
        }
        if (removed.status() != 200) {
            return settledAfterTheHeals(name, leaving, id, "not confirmed: " + removed);
        }
        note("removed member " + name);
        leaving.kill9();
        return () -> addBack(name, leaving);
    }

    private Runnable settledAfterTheHeals(String name, RosterProcess member, String id, String answer) {
        note("removing member " + name + " " + answer + "; settled after the heals");
        unsettledRemovals.add(() -> settleRemoval(name, member, id));
        return () -> { };
    }

    /** By peer URL: a member added back has no name in the table until it has started and published it. */
    private static String memberIdAt(RosterProcess via, String peerUrl) {
        return members(via)
                .filter(member -> member.path("peerUrls").valueStream().anyMatch(url -> url.asString().equals(peerUrl)))
                .findFirst().map(member -> member.path("id").asString())
                .orElseThrow(() -> new IllegalStateException("no member at " + peerUrl));
    }

    /** The member table as {@code via} answers it; an IllegalStateException when it cannot (no leader, say). */
    private static Stream<JsonNode> members(RosterProcess via) {
        RosterHttp.Reply table = via.client().withTimeout(CONTROL_TIMEOUT).request("GET", "/v1/members", null);
        if (table.status() != 200) {
            throw new IllegalStateException("GET /v1/members answered " + table);
        }
        return table.json().path("members").valueStream();
    }

    /**
     * Asks again, now that the cluster has a quorum, until the answer is clear: removed (200, or 404 when an
     * earlier attempt took effect) completes the churn; a 409 is a refusal only while the table still lists the
     * member, since the leader also answers 409 when it has recorded the removal but not yet changed the
     * configuration. Otherwise a member the cluster removed would run on, never added back.
     */
    private void settleRemoval(String name, RosterProcess member, String id) {
        long deadline = System.nanoTime() + CONTROL_TIMEOUT.multipliedBy(6).toNanos();
        RosterHttp.Reply last = null;
        while (System.nanoTime() < deadline) {
            try {
                RosterProcess via = otherRunning(member);
                last = via.client().withTimeout(CONTROL_TIMEOUT).request("DELETE", "/v1/members/" + id, null);
                boolean removed = last.status() == 200 || last.status() == 404
                        || last.status() == 409 && !isListed(via, id);
                if (removed) {
                    note("removal of member " + name + " settled: removed (" + last.status() + ")");
                    member.kill9();
                    addBack(name, member);
                    return;
                }
                if (last.status() == 409) {
                    note("removal of member " + name + " settled: refused (" + last + ")");
                    return;
                }
            } catch (UncheckedIOException | IllegalStateException unanswered) {
                // Not answered yet: a member just restarted, or an election under way.
            }
            Pacing.pause(500);
        }
        throw new AssertionError("the removal of member " + name + " was not settled; last answer: " + last);
    }

    private static boolean isListed(RosterProcess via, String id) {
        return members(via).anyMatch(member -> member.path("id").asString().equals(id));
    }

    private void addBack(String name, RosterProcess left) {
        String peerUrl = ProcessCluster.peerUrl(cluster.peerPortFor(name));
        long deadline = System.nanoTime() + CONTROL_TIMEOUT.multipliedBy(6).toNanos();
        while (true) {
            try {
                RosterProcess via = otherRunning(left);
                RosterHttp.Reply added = via.client().withTimeout(CONTROL_TIMEOUT)
                        .request("POST", "/v1/members", Map.of("name", name, "peerUrls", List.of(peerUrl)));
                String initialCluster = null;
                if (added.status() == 201) {
                    initialCluster = added.json().path("env").path("ROSTER_INITIAL_CLUSTER").asString();
                } else if (added.status() == 409 && added.body().contains("already exists")) {
                    // An earlier attempt whose answer was lost did add it: start it with the table as it is.
                    // An unstarted member is listed without its name: it is the one at this peer URL.
                    initialCluster = members(via)
                            .map(member -> {
                                String url = member.path("peerUrls").get(0).asString();
                                return (url.equals(peerUrl) ? name : member.path("name").asString()) + "=" + url;
                            })
                            .collect(java.util.stream.Collectors.joining(","));
                }
                if (initialCluster != null) {
                    RosterProcess rejoining = cluster.memberBuilder(name, cluster.peerPortFor(name))
                            // Inside the old one, so that it stays on the member's small disk.
                            .dataDir(left.dataDir().resolve("rejoined-" + rejoins.incrementAndGet()))
                            .env("ROSTER_INITIAL_CLUSTER", initialCluster)
                            .env("ROSTER_INITIAL_CLUSTER_STATE", "existing")
                            .build();
                    cluster.replace(left, rejoining).start();
                    note("added back member " + name + " on an empty data dir");
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the cluster did not take member " + name + " back: " + added);
                }
            } catch (UncheckedIOException | IllegalStateException unavailable) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the cluster did not take member " + name + " back", unavailable);
                }
            }
            Pacing.pause(500);
        }
    }

    private Runnable fillDisk(String name) {
        SmallDisk disk = disks.get(name);
        note("disk of " + name + " full");
        disk.fill();
        return () -> {
            disk.free();
            RosterProcess member = cluster.member(name);
            if (stoppedForGood(member)) {
                note("disk of " + name + " emptied; it stopped, restart it");
                member.kill9();
                member.restart();
            } else {
                note("disk of " + name + " emptied");
            }
        };
    }

    /** Liveness DOWN: JRaft stopped the member, which only a restart undoes. */
    static boolean stoppedForGood(RosterProcess member) {
        try {
            return member.isRunning() && member.client().withTimeout(CONTROL_TIMEOUT)
                    .request("GET", "/actuator/health/liveness", null).status() == 503;
        } catch (UncheckedIOException unanswered) {
            return false; // paused or gone: another fault's heal deals with it
        }
    }

    private RosterProcess otherRunning(RosterProcess member) {
        return cluster.running().stream().filter(other -> other != member).findFirst()
                .orElseThrow(() -> new IllegalStateException("no other member runs"));
    }

    private void heal(Set<String> side, Set<String> otherSide) {
        for (String a : side) {
            for (String b : otherSide) {
                network.heal(a, b);
                network.heal(b, a);
            }
        }
    }

    /** A cut resets connections at once; a drop leaves them open and silent, as a firewall that drops packets does. */
    private Fault linkFault() {
        return random.nextBoolean() ? Fault.CUT : Fault.DROP;
    }

    private static List<String> rotated(List<String> members) {
        List<String> rotated = new ArrayList<>(members);
        Collections.rotate(rotated, -1);
        return rotated;
    }

    private List<String> shuffledRunning() {
        List<String> names = new ArrayList<>(cluster.running().stream().map(RosterProcess::name).toList());
        Collections.shuffle(names, random);
        return names;
    }

    private static Set<String> minority(List<String> shuffled) {
        return Set.copyOf(shuffled.subList(0, Math.max(1, (shuffled.size() - 1) / 2)));
    }

    private static Set<String> majority(List<String> shuffled) {
        return Set.copyOf(shuffled.subList(Math.max(1, (shuffled.size() - 1) / 2), shuffled.size()));
    }

    private Set<String> others(String name) {
        return cluster.members().stream().map(RosterProcess::name).filter(other -> !other.equals(name)).collect(Collectors.toSet());
    }

    private void note(String event) {
        log.add(String.format("%7.3f s  %s", (System.nanoTime() - startNanos) / 1e9, event));
    }

    private static void join(Thread thread) {
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
