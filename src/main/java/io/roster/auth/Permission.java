package io.roster.auth;

import io.roster.common.InvalidInputException;

import java.util.Locale;

/**
 * What a role may do: read or write keys under a prefix, or register or discover services whose names
 * start with a prefix. An empty prefix covers everything of its kind.
 */
public record Permission(Access access, String prefix) {

    /** Keys: {@code read}, {@code write}, {@code readwrite}. Services: {@code register}, {@code discover}. */
    public enum Access {
        READ, WRITE, READWRITE, REGISTER, DISCOVER;

        public boolean onKeys() {
            return this == READ || this == WRITE || this == READWRITE;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Access parse(String text) {
            for (Access access : values()) {
                if (access.label().equals(text)) {
                    return access;
                }
            }
            throw InvalidInputException.invalid("access", "access must be read, write or readwrite (on key prefixes), or"
                    + " register or discover (on service names or prefixes), not '" + text + "'");
        }
    }

    public Permission {
        if (access == null) {
            throw InvalidInputException.invalid("access", "access is required: read, write, readwrite, register or discover");
        }
        prefix = prefix == null ? "" : prefix;
    }

    /** Whether holding this permission allows {@code needed}: the same kind, enough access, a covering prefix. */
    public boolean allows(Permission needed) {
        return covers(needed.access()) && needed.prefix().startsWith(prefix);
    }

    /**
     * Whether holding this permission allows at least part of {@code needed}: enough access on a prefix
     * that covers it or lies inside it. A watch or a list under {@code needed} then shows that part.
     */
    public boolean allowsPartOf(Permission needed) {
        return covers(needed.access()) && (needed.prefix().startsWith(prefix) || prefix.startsWith(needed.prefix()));
    }

    private boolean covers(Access needed) {
        return access == needed || (access == Access.READWRITE && (needed == Access.READ || needed == Access.WRITE));
    }

    /** How a denial names it: "write on keys under 'config/'", "register on services 'payments'". */
    public String describe(boolean exact) {
        String what = access.onKeys() ? (exact ? "key" : "keys under") : (exact ? "service" : "services starting with");
        return access.label() + " on " + what + " '" + prefix + "'";
    }

    /** How a denial names a need that any part satisfies: "discover on some service starting with ''". */
    public String describePart() {
        return access.label() + " on some " + (access.onKeys() ? "key under" : "service starting with") + " '" + prefix + "'";
    }
}
