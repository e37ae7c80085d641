package io.roster.raft;

/**
 * One operation of the peer protocol: its name on the wire, the version of its layout, which member
 * serves it, and its request's and answer's layouts. A member serves versions {@code oldestServed} to
 * {@code version} of each operation it knows and refuses any other with a clear error, so that two
 * releases can run side by side through a rolling upgrade (ADR 0002).
 *
 * @param version      the version this release sends; a new layout takes the next number
 * @param oldestServed the oldest version this release still serves, for members of the previous release
 */
public record PeerOperation<Q, A>(String name, int version, int oldestServed, Served servedBy, PeerCodec<Q> request,
                                  PeerCodec<A> answer) {

    /** Who answers: the leader (a follower forwards to it), or whichever member is asked. */
    public enum Served { BY_LEADER, BY_ANY_MEMBER }

    public PeerOperation {
        if (name.isEmpty() || version < 1 || oldestServed < 1 || oldestServed > version) {
            throw new IllegalArgumentException("peer operation '" + name + "' with versions " + oldestServed + " to " + version);
        }
    }

    /** An operation only the leader performs, at version 1. */
    public static <Q, A> PeerOperation<Q, A> onLeader(String name, PeerCodec<Q> request, PeerCodec<A> answer) {
        return new PeerOperation<>(name, 1, 1, Served.BY_LEADER, request, answer);
    }

    /** A question any member answers, at version 1: asked before this member has joined, or of a specific member. */
    public static <Q, A> PeerOperation<Q, A> onAnyMember(String name, PeerCodec<Q> request, PeerCodec<A> answer) {
        return new PeerOperation<>(name, 1, 1, Served.BY_ANY_MEMBER, request, answer);
    }

    boolean serves(int requested) {
        return requested >= oldestServed && requested <= version;
    }

    @Override
    public String toString() {
        return name + " v" + version;
    }
}
