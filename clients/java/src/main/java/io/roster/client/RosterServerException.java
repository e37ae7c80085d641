package io.roster.client;

/**
 * A member answered the request with an error. The subclasses are the answers a caller usually acts on;
 * any other (e.g. a refused membership change, 409) is this class with its {@link #problem()}.
 */
public class RosterServerException extends RosterException {

    private final String endpoint;
    private final Problem problem;

    public RosterServerException(String endpoint, Problem problem) {
        this(endpoint, problem, problem.describe());
    }

    protected RosterServerException(String endpoint, Problem problem, String message) {
        super(message);
        this.endpoint = endpoint;
        this.problem = problem;
    }

    /** The member that answered. */
    public String endpoint() {
        return endpoint;
    }

    /** The HTTP status: 400, 404, 409, 410, 413, … */
    public int status() {
        return problem.status();
    }

    public Problem problem() {
        return problem;
    }
}
