package io.roster.registry;

import io.roster.common.InvalidInputException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What an instance says about itself; only {@code UP} instances should receive traffic. */
public enum InstanceStatus {
    UP, DOWN, STARTING, OUT_OF_SERVICE;

    public static InstanceStatus parse(String text, String field) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw InvalidInputException.invalid(field, field + " must be one of "
                    + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")) + ", not '" + text + "'");
        }
    }
}
