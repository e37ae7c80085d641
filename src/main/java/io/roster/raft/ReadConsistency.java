package io.roster.raft;

import java.util.Locale;

/** How fresh a read must be: linearizable (the default) sees every write acknowledged before it began. */
public enum ReadConsistency {
    LINEARIZABLE,
    /** Local state of the node that serves the read: fast, possibly stale, works without a leader. */
    SERIALIZABLE;

    public static ReadConsistency parse(String text) {
        if (text == null || text.isBlank()) {
            return LINEARIZABLE;
        }
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
