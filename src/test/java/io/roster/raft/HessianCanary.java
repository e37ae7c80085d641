package io.roster.raft;

import java.io.Serial;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A request class no member registers, whose deserialization is visible: Hessian calls
 * {@code readResolve} on every object it decodes, as a gadget chain would run its code.
 */
final class HessianCanary implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    static final AtomicInteger DECODED = new AtomicInteger();

    @Serial
    private Object readResolve() {
        DECODED.incrementAndGet();
        return this;
    }
}
