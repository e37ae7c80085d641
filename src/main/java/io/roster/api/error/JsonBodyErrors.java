package io.roster.api.error;

import io.roster.common.InvalidInputException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Says what is wrong with a JSON request body in the client's terms: which field, and what JSON it should
 * hold ("an integer", "a string"), never the Java type Jackson was filling in or its parser's internals.
 */
final class JsonBodyErrors {

    private JsonBodyErrors() {
    }

    static InvalidInputException describe(JacksonException e) {
        String field = path(e);
        if (e instanceof StreamConstraintsException) {
            return InvalidInputException.invalid(field == null ? "body" : field, "the JSON body is beyond a parser limit (nesting"
                    + " depth, or the length of a number, string or name); send a smaller, flatter document");
        }
        if (e instanceof InputCoercionException coercion) {
            String where = field == null ? "a number in the body" : "field '" + field + "'";
            return InvalidInputException.invalid(field == null ? "body" : field, where + " is out of range for " + kind(coercion.getTargetType()));
        }
        if (e instanceof UnexpectedEndOfInputException) {
            return InvalidInputException.invalid("body", "the JSON body ends too early" + at(e.getLocation()));
        }
        if (e instanceof StreamReadException && e.getOriginalMessage() != null && e.getOriginalMessage().contains("surrogate")) {
            // Jackson's non-blocking parser, which reads every request body, refuses a \\uD800-\\uDFFF escape
            // without its pair itself; the blocking one let it through to RegistryLimits' check.
            return InvalidInputException.invalid(field == null ? "body" : field, "the body is not valid Unicode text (it contains"
                    + " a lone surrogate escape)" + at(e.getLocation()));
        }
        if (e instanceof StreamReadException) {
            return InvalidInputException.invalid("body", "the body is not valid JSON" + at(e.getLocation()));
        }
        if (e instanceof InvalidFormatException format && field != null) {
            return InvalidInputException.invalid(field, "field '" + field + "' must be " + kind(format.getTargetType())
                    + ", not " + quoted(format.getValue()));
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            if (field == null) {
                return InvalidInputException.invalid("body", "the body must be " + kind(mismatch.getTargetType()));
            }
            return InvalidInputException.invalid(field, "field '" + field + "' must be " + kind(mismatch.getTargetType()));
        }
        return InvalidInputException.invalid(field == null ? "body" : field, field == null
                ? "the body is not the JSON this endpoint expects; see /v3/api-docs"
                : "field '" + field + "' does not hold what this endpoint expects; see /v3/api-docs");
    }

    /** {@code metadata.zone}, {@code peerUrls[0]}, or null for the body as a whole. */
    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? null : printable(path.toString());
    }

    /** The JSON a client should send for a Java type. */
    static String kind(Class<?> type) {
        if (type == null) {
            return "another JSON value";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class || type == short.class
                || type == Short.class || type == byte.class || type == Byte.class || type == BigInteger.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class || type == BigDecimal.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord() || !type.isPrimitive()) {
            return "an object";
        }
        return "another JSON value";
    }

    private static String at(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String quoted(Object value) {
        return value == null ? "null" : "'" + printable(String.valueOf(value)) + "'";
    }

    /** At most 64 characters, with control characters shown as '?'. */
    static String printable(String text) {
        String shortened = text.length() > 64 ? text.substring(0, 64) + "…" : text;
        StringBuilder out = new StringBuilder(shortened.length());
        shortened.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}
