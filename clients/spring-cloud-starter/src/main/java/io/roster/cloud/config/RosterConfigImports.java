package io.roster.cloud.config;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The prefixes {@code roster:} imports loaded at startup, each with the revision it was read at (or -1 when
 * no member answered), handed from the config data loader to the application context, where the
 * {@link ConfigWatch} watches them for changes after that revision.
 */
public final class RosterConfigImports {

    static final long NOT_LOADED = -1;

    private final Map<KeyPrefix, Long> loaded = new ConcurrentHashMap<>();

    void loaded(KeyPrefix prefix, long revision) {
        loaded.put(prefix, revision);
    }

    Map<KeyPrefix, Long> prefixes() {
        return Map.copyOf(loaded);
    }
}
