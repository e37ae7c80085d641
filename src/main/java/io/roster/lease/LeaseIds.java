package io.roster.lease;

import io.roster.common.InvalidInputException;

import java.util.HexFormat;

/** Lease ids on the wire: 16 hex digits, as etcdctl prints them. */
public final class LeaseIds {

    private LeaseIds() {
    }

    public static String format(long id) {
        return HexFormat.of().toHexDigits(id);
    }

    public static long parse(String text, String field) {
        if (text == null || text.length() != 16 || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw InvalidInputException.invalid(field, field + " must be a lease id of 16 hex digits, not '" + text + "'");
        }
        long id = HexFormat.fromHexDigitsToLong(text);
        if (id <= 0) {
            throw InvalidInputException.invalid(field, field + " '" + text + "' is not a lease id");
        }
        return id;
    }
}
