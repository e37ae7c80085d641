package io.roster.cli;

/** rosterctl's exit codes; scripts may rely on them (README "rosterctl: exit codes"). */
public final class ExitCodes {

    /** The command did what was asked. */
    public static final int OK = 0;
    /** Anything else failed: the server refused the request (400, 500, …), an endpoint was unhealthy, a local file could not be written. */
    public static final int ERROR = 1;
    /** The command line was wrong: an unknown command or option, a missing or malformed argument. */
    public static final int USAGE = 2;
    /** No endpoint answered: every one was unreachable, timed out or answered 503 (no leader / no quorum). */
    public static final int UNAVAILABLE = 3;
    /** What was asked for does not exist: key, lease, service instance or member (HTTP 404). */
    public static final int NOT_FOUND = 4;
    /** Refused because of the current state: a failed compare-and-swap, a membership change that would lose quorum (HTTP 409). */
    public static final int CONFLICT = 5;

    private ExitCodes() {
    }
}
