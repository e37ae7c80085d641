package io.roster.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record of the replicated access-control state (a user, a role, a setting), opaque to the store:
 * the auth package gives it meaning. Kept apart from the key space, so that no key read, range, watch
 * or prefix delete can see or touch it.
 *
 * @param modRevision the auth revision that last wrote it: what a compare-and-swap compares. Auth
 *                    revisions never repeat, so a record deleted and made again is not mistaken for the old one.
 */
public record AuthRecord(String name, byte[] value, long modRevision) {

    @Override
    public boolean equals(Object other) {
        return other instanceof AuthRecord that && name.equals(that.name) && Arrays.equals(value, that.value)
                && modRevision == that.modRevision;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(value), modRevision);
    }

    @Override
    public String toString() {
        return "AuthRecord[" + name + ", " + value.length + " bytes, modRevision " + modRevision + "]";
    }
}
