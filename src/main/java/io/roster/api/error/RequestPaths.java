package io.roster.api.error;

/**
 * Which raw request paths have one reading only. Percent-encoding stays allowed where it is the only way
 * to send a character (a space, a non-ASCII letter, a {@code %} in a key); everything a decoder or a
 * normaliser would change into another path is refused.
 */
final class RequestPaths {

    private RequestPaths() {
    }

    /**
     * @param rawPath the request URI as sent, before any decoding
     * @return why the path is ambiguous, or null when it is not
     */
    static String ambiguity(String rawPath) {
        if (rawPath.indexOf(';') >= 0) {
            return "path parameters (';') are not accepted: the path would name another resource than it spells;"
                    + " percent-encode a ';' that is part of a key as %3B";
        }
        for (int i = rawPath.indexOf('%'); i >= 0; i = rawPath.indexOf('%', i + 1)) {
            String problem = encodingProblem(rawPath, i);
            if (problem != null) {
                return problem;
            }
        }
        int start = 0;
        while (start <= rawPath.length()) {
            int end = rawPath.indexOf('/', start);
            if (end < 0) {
                end = rawPath.length();
            }
            String segment = rawPath.substring(start, end);
            if (segment.equals(".") || segment.equals("..")) {
                return "dot segments ('/./' and '/../') are not accepted: send the path they would lead to";
            }
            start = end + 1;
        }
        return null;
    }

    /**
     * Whether the path encodes a slash or a backslash ({@code %2F}, {@code %5C}): a decoder would make it
     * another path, so it is refused before the credentials are even looked at.
     */
    static boolean encodesSlash(String rawPath) {
        for (int i = rawPath.indexOf('%'); i >= 0 && i + 2 < rawPath.length(); i = rawPath.indexOf('%', i + 1)) {
            int high = hex(rawPath.charAt(i + 1));
            int low = hex(rawPath.charAt(i + 2));
            if (high >= 0 && low >= 0 && isSlash(high * 16 + low)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the path's dot-dot segments climb above the root ({@code /../x}); refused like an encoded slash. */
    static boolean climbsAboveRoot(String rawPath) {
        if (!rawPath.contains("..")) {
            return false;
        }
        int depth = 0;
        for (String segment : rawPath.split("/", -1)) {
            if (segment.equals("..")) {
                if (--depth < 0) {
                    return true;
                }
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                depth++;
            }
        }
        return false;
    }

    private static boolean isSlash(int c) {
        return c == '/' || c == '\\';
    }

    private static String encodingProblem(String rawPath, int percent) {
        if (percent + 2 >= rawPath.length() || hex(rawPath.charAt(percent + 1)) < 0 || hex(rawPath.charAt(percent + 2)) < 0) {
            return "the path has a '%' that does not start an escape of two hex digits; encode a '%' as %25";
        }
        int decoded = hex(rawPath.charAt(percent + 1)) * 16 + hex(rawPath.charAt(percent + 2));
        String escape = rawPath.substring(percent, percent + 3);
        if (isUnreserved(decoded)) {
            return "the path encodes '" + (char) decoded + "' as " + escape + "; send letters, digits and '-._~' as they are";
        }
        if (isSlash(decoded)) {
            return "the path has an encoded slash (" + escape + "); slashes separate path segments and cannot be part of a name";
        }
        if (decoded < 0x20 || decoded == 0x7f) {
            return "the path has an encoded control character (" + escape + "); names and keys cannot contain one";
        }
        return null;
    }

    /** RFC 3986's unreserved characters: encoded or not, they mean the same, so encoding them only hides them. */
    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    }

    static int hex(char c) {
        return Character.digit(c, 16);
    }
}
