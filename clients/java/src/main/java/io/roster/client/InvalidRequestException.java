package io.roster.client;

import java.util.Optional;

/** 400 or 413: the request is malformed or over a limit; {@link #field()} names the part at fault. */
public class InvalidRequestException extends RosterServerException {

    public InvalidRequestException(String endpoint, Problem problem) {
        super(endpoint, problem);
    }

    public Optional<String> field() {
        return Optional.ofNullable(problem().field());
    }

    /** The limit exceeded (413, or 400 for a count or duration limit), when there is one. */
    public Optional<String> limit() {
        return Optional.ofNullable(problem().limit());
    }
}
