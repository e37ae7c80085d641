package io.roster.testing.net;

import java.time.Duration;
import java.util.Objects;

/**
 * What happens to the bytes of one direction of a link.
 *
 * <ul>
 *   <li>{@link #CUT}: like an iptables REJECT; every connection that carries this direction either way is reset,
 *       and new ones are accepted and reset at once. Because a TCP connection needs both directions, a one-way
 *       cut takes down connections dialed from either end; use {@link #DROP} for a one-way partition.</li>
 *   <li>{@link #DROP}: like an iptables DROP; the bytes are held by the proxy, connections stay open and new ones
 *       are accepted, and on heal the held bytes are delivered in order, as TCP would retransmit them.</li>
 *   <li>{@link #delay}: each chunk is delivered the given time after the proxy read it, in order.</li>
 * </ul>
 */
public record Fault(Kind kind, Duration delay) {

    public enum Kind { CUT, DROP, DELAY }

    public static final Fault CUT = new Fault(Kind.CUT, Duration.ZERO);
    public static final Fault DROP = new Fault(Kind.DROP, Duration.ZERO);

    public Fault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay " + delay);
        }
    }

    public static Fault delay(Duration delay) {
        return new Fault(Kind.DELAY, delay);
    }

    @Override
    public String toString() {
        return kind == Kind.DELAY ? "delay " + delay.toMillis() + "ms" : kind.name().toLowerCase();
    }
}
