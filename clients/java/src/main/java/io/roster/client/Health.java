package io.roster.client;

/**
 * One member's health ({@code /actuator/health}).
 *
 * @param httpStatus 200 when the member is healthy, 503 when it is not
 * @param status     {@code UP}, {@code DOWN}, … or null when the answer was not a health document
 * @param document   the whole health document as JSON text (its components and their details vary with the
 *                   server's version and settings), or the answer's text when it was not JSON
 */
public record Health(int httpStatus, String status, String document) {

    public boolean isUp() {
        return httpStatus == 200 && "UP".equals(status);
    }
}
