package io.roster.api.error;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Whether a raw query string decodes to parameters one way only: every escape is two hex digits, the bytes
 * are UTF-8, every parameter has a name, and no name or value holds a control character.
 */
final class QueryStrings {

    private QueryStrings() {
    }

    /**
     * @param rawQuery the query string as sent, or null
     * @return what is wrong with it, naming the parameter where there is one, or null when nothing is
     */
    static String problem(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        int position = 0;
        for (String pair : rawQuery.split("&", -1)) {
            position++;
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String rawName = equals < 0 ? pair : pair.substring(0, equals);
            String name = decode(rawName);
            if (name == null) {
                return "query parameter " + position + " has a name that does not decode: every '%' must start two hex digits"
                        + " of UTF-8 (encode a '%' as %25)";
            }
            if (name.isEmpty()) {
                return "query parameter " + position + " has no name; send 'name=value'";
            }
            if (hasControl(name)) {
                return "query parameter " + position + " has a control character in its name";
            }
            if (equals >= 0) {
                String value = decode(pair.substring(equals + 1));
                if (value == null) {
                    return "the value of query parameter '" + printable(name) + "' does not decode: every '%' must start two hex"
                            + " digits of UTF-8 (encode a '%' as %25)";
                }
                if (hasControl(value)) {
                    return "the value of query parameter '" + printable(name) + "' has a control character";
                }
            }
        }
        return null;
    }

    /** application/x-www-form-urlencoded decoding that fails instead of guessing; null when it fails. */
    private static String decode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || RequestPaths.hex(raw.charAt(i + 1)) < 0 || RequestPaths.hex(raw.charAt(i + 2)) < 0) {
                    return null;
                }
                bytes.write(RequestPaths.hex(raw.charAt(i + 1)) * 16 + RequestPaths.hex(raw.charAt(i + 2)));
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c > 0x7f) {
                return null; // raw non-ASCII is not a URI (RFC 3986): send it percent-encoded
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    private static String printable(String name) {
        return name.length() > 64 ? name.substring(0, 64) + "…" : name;
    }
}
