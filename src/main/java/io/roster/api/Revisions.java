package io.roster.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** Every answer says which store revision it reflects, so clients can watch or compare from there. */
public final class Revisions {

    public static final String HEADER = "X-Roster-Revision";

    private Revisions() {
    }

    public static <T> ResponseEntity<T> respond(HttpStatus status, T body, long revision) {
        return ResponseEntity.status(status).header(HEADER, Long.toString(revision)).body(body);
    }

    public static <T> ResponseEntity<T> ok(T body, long revision) {
        return respond(HttpStatus.OK, body, revision);
    }
}
