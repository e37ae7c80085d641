package io.roster.api.error;

import io.roster.api.Revisions;
import io.roster.auth.AuthConflictException;
import io.roster.auth.AuthenticationFailedException;
import io.roster.cluster.MembershipException;
import io.roster.common.InvalidInputException;
import io.roster.common.NotFoundException;
import io.roster.kv.CompareFailedException;
import io.roster.raft.RaftUnavailableException;
import io.roster.watch.RevisionCompactedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The problem each of Roster's own exceptions becomes on the wire: the table {@link ApiExceptionHandler}
 * answers with inside Spring WebFlux, and that a filter answering a request itself (the heartbeat endpoint)
 * writes with {@link #write}, so that both give the same answer for the same error.
 */
public final class ApiProblems {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    private ApiProblems() {
    }

    /** The problem for {@code error} (unwrapped from a {@link CompletionException}); a 500 for what is not ours. */
    public static ResponseEntity<ProblemDetail> of(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        ResponseEntity<ProblemDetail> known = known(cause);
        if (known != null) {
            return known;
        }
        log.error("Unhandled error; this is a bug", cause);
        return internalError();
    }

    /** Writes {@link #of(Throwable)} as the whole answer. */
    public static Mono<Void> write(Throwable error, ServerHttpResponse response) {
        return write(of(error), response);
    }

    /** Writes the problem, with its status and headers, as the whole answer. */
    public static Mono<Void> write(ResponseEntity<ProblemDetail> answer, ServerHttpResponse response) {
        answer.getHeaders().forEach((name, values) -> values.forEach(value -> response.getHeaders().add(name, value)));
        ProblemDetail problem = answer.getBody();
        Map<String, Object> extra = problem.getProperties() == null ? Map.of() : problem.getProperties();
        return RefusingFilters.writeProblem(response, HttpStatus.valueOf(answer.getStatusCode().value()), problem.getTitle(),
                problem.getDetail(), extra);
    }

    /** The problem for one of Roster's exceptions, or null for any other. */
    static ResponseEntity<ProblemDetail> known(Throwable e) {
        if (e instanceof InvalidInputException invalid) {
            return invalidInput(invalid);
        } else if (e instanceof NotFoundException notFound) {
            return notFound(notFound);
        } else if (e instanceof CompareFailedException failed) {
            return compareFailed(failed);
        } else if (e instanceof RaftUnavailableException unavailable) {
            return unavailable(unavailable);
        } else if (e instanceof AuthConflictException conflict) {
            return titled(HttpStatus.CONFLICT, "Conflict", conflict.getMessage());
        } else if (e instanceof AuthenticationFailedException failed) {
            return answer(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"roster\"")
                    .body(problem(HttpStatus.UNAUTHORIZED, "Unauthorized", failed.getMessage()));
        } else if (e instanceof MembershipException refused) {
            return titled(HttpStatus.CONFLICT, "Membership change refused", refused.getMessage());
        } else if (e instanceof RevisionCompactedException compacted) {
            return gone(compacted);
        } else if (e instanceof IllegalArgumentException illegal) {
            return titled(HttpStatus.BAD_REQUEST, "Invalid request", illegal.getMessage());
        }
        return null;
    }

    static ResponseEntity<ProblemDetail> invalidInput(InvalidInputException e) {
        HttpStatus status = e.tooLarge() ? HttpStatus.CONTENT_TOO_LARGE : HttpStatus.BAD_REQUEST;
        ProblemDetail problem = problem(status, e.tooLarge() ? "Too large" : "Invalid request", e.getMessage());
        if (e.field() != null) {
            problem.setProperty("field", e.field());
        }
        if (e.limit() != null) {
            problem.setProperty("limit", e.limit());
        }
        return answer(status).body(problem);
    }

    private static ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
        problem.setProperty("revision", e.revision());
        return answer(HttpStatus.NOT_FOUND).header(Revisions.HEADER, Long.toString(e.revision())).body(problem);
    }

    private static ResponseEntity<ProblemDetail> compareFailed(CompareFailedException e) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "Compare failed", e.getMessage());
        problem.setProperty("revision", e.revision());
        if (e.current() != null) {
            Map<String, Object> current = new LinkedHashMap<>();
            current.put("key", e.current().key());
            current.put("value", e.current().valueAsString());
            current.put("createRevision", e.current().createRevision());
            current.put("modRevision", e.current().modRevision());
            current.put("version", e.current().version());
            if (e.current().lease() != 0) {
                current.put("lease", io.roster.lease.LeaseIds.format(e.current().lease()));
            }
            problem.setProperty("current", current);
        } else {
            problem.setProperty("current", null);
        }
        return answer(HttpStatus.CONFLICT).header(Revisions.HEADER, Long.toString(e.revision())).body(problem);
    }

    /**
     * No quorum, no leader, or a timeout: a condition of the cluster rather than of the request, so 503
     * with Retry-After. {@code mayHaveApplied} warns that retrying a write could apply it twice.
     */
    private static ResponseEntity<ProblemDetail> unavailable(RaftUnavailableException e) {
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "Cluster unavailable", e.getMessage());
        problem.setProperty("mayHaveApplied", e.mayHaveApplied());
        return answer(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1").body(problem);
    }

    /** A watch from a revision older than the history: list again at {@code currentRevision}, then watch. */
    private static ResponseEntity<ProblemDetail> gone(RevisionCompactedException e) {
        ProblemDetail problem = problem(HttpStatus.GONE, "Revision compacted", e.getMessage());
        problem.setProperty("currentRevision", e.currentRevision());
        problem.setProperty("compactedRevision", e.compactedRevision());
        return answer(HttpStatus.GONE).header(Revisions.HEADER, Long.toString(e.currentRevision())).body(problem);
    }

    /** The answer to a method the path does not take, as Spring WebFlux gives it. */
    public static ResponseEntity<ProblemDetail> methodNotAllowed(String method, List<String> allowed) {
        return answer(HttpStatus.METHOD_NOT_ALLOWED).header(HttpHeaders.ALLOW, String.join(", ", allowed))
                .body(problem(HttpStatus.METHOD_NOT_ALLOWED, "Method Not Allowed", "Method '" + method + "' is not supported."));
    }

    static ResponseEntity<ProblemDetail> internalError() {
        return answer(HttpStatus.INTERNAL_SERVER_ERROR).body(problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "internal error; please report it with the time of the request and the server log"));
    }

    private static ResponseEntity<ProblemDetail> titled(HttpStatus status, String title, String detail) {
        return answer(status).body(problem(status, title, detail));
    }

    /** An answer whose body is a problem: {@code application/problem+json} whatever the request accepts. */
    static ResponseEntity.BodyBuilder answer(HttpStatus status) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
