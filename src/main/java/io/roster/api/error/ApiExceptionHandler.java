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
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.util.DisconnectedClientHelper;
import tools.jackson.core.JacksonException;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The one table that maps errors to the wire: every error is an RFC 9457 problem with a message a person
 * can act on. An exception that reaches the fallback is a bug, and is logged as one.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(CompletionException.class)
    ResponseEntity<Object> unwrap(CompletionException e, WebRequest request) throws Exception {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof Exception exception && !(cause instanceof CompletionException)) {
            return dispatch(exception, request);
        }
        return unexpected(e);
    }

    private ResponseEntity<Object> dispatch(Exception e, WebRequest request) throws Exception {
        if (e instanceof InvalidInputException invalid) {
            return invalidInput(invalid);
        } else if (e instanceof NotFoundException notFound) {
            return notFound(notFound);
        } else if (e instanceof CompareFailedException failed) {
            return compareFailed(failed);
        } else if (e instanceof RaftUnavailableException unavailable) {
            return unavailable(unavailable);
        } else if (e instanceof MembershipException refused) {
            return membershipRefused(refused);
        } else if (e instanceof RevisionCompactedException compacted) {
            return gone(compacted);
        } else if (e instanceof IllegalArgumentException illegal) {
            return badRequest(illegal);
        }
        ResponseEntity<Object> handled = handleException(e, request);
        return handled != null ? handled : unexpected(e);
    }

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<Object> invalidInput(InvalidInputException e) {
        HttpStatus status = e.tooLarge() ? HttpStatus.CONTENT_TOO_LARGE : HttpStatus.BAD_REQUEST;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        problem.setTitle(e.tooLarge() ? "Too large" : "Invalid request");
        if (e.field() != null) {
            problem.setProperty("field", e.field());
        }
        if (e.limit() != null) {
            problem.setProperty("limit", e.limit());
        }
        return ResponseEntity.status(status).body(problem);
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<Object> notFound(NotFoundException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("Not found");
        problem.setProperty("revision", e.revision());
        return ResponseEntity.status(HttpStatus.NOT_FOUND).header(Revisions.HEADER, Long.toString(e.revision())).body(problem);
    }

    @ExceptionHandler(CompareFailedException.class)
    ResponseEntity<Object> compareFailed(CompareFailedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Compare failed");
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
        return ResponseEntity.status(HttpStatus.CONFLICT).header(Revisions.HEADER, Long.toString(e.revision())).body(problem);
    }

    /**
     * No quorum, no leader, or a timeout: a condition of the cluster rather than of the request, so 503
     * with Retry-After. {@code mayHaveApplied} warns that retrying a write could apply it twice.
     */
    @ExceptionHandler(RaftUnavailableException.class)
    ResponseEntity<Object> unavailable(RaftUnavailableException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        problem.setTitle("Cluster unavailable");
        problem.setProperty("mayHaveApplied", e.mayHaveApplied());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1").body(problem);
    }

    @ExceptionHandler(AuthConflictException.class)
    ResponseEntity<ProblemDetail> authConflict(AuthConflictException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Conflict");
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
    }

    @ExceptionHandler(AuthenticationFailedException.class)
    ResponseEntity<ProblemDetail> authenticationFailed(AuthenticationFailedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, e.getMessage());
        problem.setTitle("Unauthorized");
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"roster\"")
                .body(problem);
    }

    @ExceptionHandler(MembershipException.class)
    ResponseEntity<Object> membershipRefused(MembershipException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Membership change refused");
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
    }

    /** A watch from a revision older than the history: list again at {@code currentRevision}, then watch. */
    @ExceptionHandler(RevisionCompactedException.class)
    ResponseEntity<Object> gone(RevisionCompactedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.GONE, e.getMessage());
        problem.setTitle("Revision compacted");
        problem.setProperty("currentRevision", e.currentRevision());
        problem.setProperty("compactedRevision", e.compactedRevision());
        return ResponseEntity.status(HttpStatus.GONE).header(Revisions.HEADER, Long.toString(e.currentRevision())).body(problem);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Object> badRequest(IllegalArgumentException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Invalid request");
        return ResponseEntity.badRequest().body(problem);
    }

    @ExceptionHandler(RequestTooLargeException.class)
    ResponseEntity<Object> tooLarge(RequestTooLargeException e) {
        return invalidInput(InvalidInputException.overLimit("body", e.getMessage(), String.valueOf(e.limit()), true));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException e) {
        // A repeated parameter arrives as an array, whose toString() is a Java type name; name its first
        // value, the one that was converted, and say that it should be given once.
        Object value = e.getValue();
        String repeated = "";
        if (value instanceof Object[] values) {
            repeated = values.length > 1 ? " (it is given " + values.length + " times; give it once)" : "";
            value = values.length == 0 ? "" : values[0];
        }
        return invalidInput(InvalidInputException.invalid(e.getName(), "parameter '" + e.getName() + "' must be "
                + JsonBodyErrors.kind(e.getRequiredType()) + ", not '" + JsonBodyErrors.printable(String.valueOf(value)) + "'" + repeated));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        RequestTooLargeException tooLarge = findCause(e, RequestTooLargeException.class);
        if (tooLarge != null) {
            return tooLarge(tooLarge);
        }
        InvalidInputException invalid = findCause(e, InvalidInputException.class);
        if (invalid == null) {
            JacksonException json = findCause(e, JacksonException.class);
            invalid = json != null ? JsonBodyErrors.describe(json)
                    : InvalidInputException.invalid("body", "the request body is missing; this endpoint takes a JSON object");
        }
        ResponseEntity<Object> answer = invalidInput(invalid);
        if (answer.getBody() instanceof ProblemDetail problem) {
            problem.setTitle("Malformed request body");
        }
        return answer;
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unhandled(Exception e, WebRequest request) {
        if (request instanceof ServletWebRequest servlet && isUnknownHealthPath(e, servlet.getRequest())) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ActuatorProblemFilter.UNKNOWN_NAME);
            problem.setTitle("Not Found");
            problem.setProperty("field", "path");
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
        }
        return unexpected(e);
    }

    private ResponseEntity<Object> unexpected(Exception e) {
        if (isClientGone(e)) {
            // A client that closes its connection (a watch it stops reading) is normal, and there is no one to answer.
            log.debug("Client went away: {}", e.toString());
            return null;
        }
        log.error("Unhandled error; this is a bug", e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "internal error; please report it with the time of the request and the server log");
        problem.setTitle("Internal error");
        return ResponseEntity.internalServerError().body(problem);
    }

    /**
     * Spring Boot's health endpoint fails an assertion, where it means 404, for a path that goes on past a
     * name it does not know ({@code /actuator/health/nope/more}): it checks each step for null only before
     * taking the next one.
     */
    private static boolean isUnknownHealthPath(Exception e, HttpServletRequest request) {
        StackTraceElement[] stack = e.getStackTrace();
        return e instanceof IllegalStateException && request.getRequestURI().startsWith("/actuator/health/")
                && stack.length > 1 && stack[1].getClassName().endsWith(".HealthEndpointSupport")
                && "getContributor".equals(stack[1].getMethodName());
    }

    private static boolean isClientGone(Exception e) {
        return DisconnectedClientHelper.isClientDisconnectedException(e)
                || (e instanceof HttpMessageNotWritableException && findCause(e, IOException.class) != null);
    }

    private static <T extends Throwable> T findCause(Throwable error, Class<T> type) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
        }
        return null;
    }

}
