package io.roster.client;

/** How fresh a read must be. */
public enum Consistency {
    /** The default: reflects every write acknowledged before the read (a Raft read barrier). */
    LINEARIZABLE,
    /** The answering member's local state: fast and available without a leader, possibly a little behind. */
    SERIALIZABLE;

    String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
