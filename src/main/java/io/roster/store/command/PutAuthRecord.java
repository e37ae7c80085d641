package io.roster.store.command;

import java.util.Arrays;
import java.util.Objects;

/**
 * Writes or removes one access-control record, optionally only if it is unchanged since the caller
 * read it, so that two concurrent read-modify-writes (grant a role, grant another) cannot lose one.
 *
 * @param value the new contents, or null to remove the record
 * @param expectedRevision {@link Command#NO_COMPARE}, 0 for "absent", or the record's mod revision
 */
public record PutAuthRecord(String name, byte[] value, long expectedRevision) implements Command {

    @Override
    public boolean equals(Object other) {
        return other instanceof PutAuthRecord that && name.equals(that.name) && Arrays.equals(value, that.value)
                && expectedRevision == that.expectedRevision;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(value), expectedRevision);
    }
}
