package io.roster.client;

/**
 * The RFC 9457 problem document the server answers an error with.
 *
 * @param title  e.g. {@code Not found}, {@code Compare failed}, {@code Invalid request}
 * @param detail what is wrong, in words a person can act on
 * @param field  the request field at fault, or null
 * @param limit  the limit that was exceeded, or null
 */
public record Problem(int status, String title, String detail, String field, String limit) {

    /** The detail, else the title, else the status. */
    public String describe() {
        if (detail != null && !detail.isBlank()) {
            return detail;
        }
        return title != null && !title.isBlank() ? title : "HTTP " + status;
    }
}
