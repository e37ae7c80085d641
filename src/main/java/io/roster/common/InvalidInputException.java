package io.roster.common;

/**
 * A request that cannot be served as given: a field out of range, a limit exceeded. The message says
 * what to change; {@code field} names the offending input and {@code limit} the limit, where one applies.
 */
public class InvalidInputException extends RuntimeException {

    private final String field;
    private final String limit;
    private final boolean tooLarge;

    private InvalidInputException(String field, String message, String limit, boolean tooLarge) {
        super(message);
        this.field = field;
        this.limit = limit;
        this.tooLarge = tooLarge;
    }

    public static InvalidInputException invalid(String field, String message) {
        return new InvalidInputException(field, message, null, false);
    }

    /** A value past a configured limit; {@code tooLarge} distinguishes payload size (413) from ranges (400). */
    public static InvalidInputException overLimit(String field, String message, String limit, boolean tooLarge) {
        return new InvalidInputException(field, message, limit, tooLarge);
    }

    public String field() {
        return field;
    }

    public String limit() {
        return limit;
    }

    public boolean tooLarge() {
        return tooLarge;
    }
}
