package io.roster.testing.net;

import java.net.InetSocketAddress;

/**
 * Names the process that dialed a proxy. Every process connects from loopback with an ephemeral port, so the
 * address alone does not say who dialed; implementations look further (see {@link ProcessSocketOwners}) or know
 * it from which listener was dialed ({@link #fixed}).
 */
@FunctionalInterface
public interface SourceResolver {

    /** The source of connections nobody could name; rules apply to it only if set for this name. */
    String UNKNOWN = "unknown";

    /** @return the dialer's name, or null or {@link #UNKNOWN} if it cannot be told */
    String sourceOf(InetSocketAddress remote);

    /** For a listener that only one source dials, such as the test's clients. */
    static SourceResolver fixed(String name) {
        return remote -> name;
    }
}
