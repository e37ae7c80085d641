package io.roster.api.error;

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
import java.util.concurrent.CompletionException;

/**
 * The one table that maps errors to the wire: every error is an RFC 9457 problem with a message a person
 * can act on. An exception that reaches the fallback is a bug, and is logged as one.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(CompletionException.class)
    ResponseEntity<?> unwrap(CompletionException e, WebRequest request) throws Exception {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof Exception exception && !(cause instanceof CompletionException)) {
            return dispatch(exception, request);
        }
        return unexpected(e);
    }

    private ResponseEntity<?> dispatch(Exception e, WebRequest request) throws Exception {
        ResponseEntity<ProblemDetail> known = ApiProblems.known(e);
        if (known != null) {
            return known;
        }
        ResponseEntity<Object> handled = handleException(e, request);
        return handled != null ? handled : unexpected(e);
    }

    /** Roster's own exceptions: {@link ApiProblems} holds their table, which filters answering by themselves share. */
    @ExceptionHandler({InvalidInputException.class, NotFoundException.class, CompareFailedException.class,
            RaftUnavailableException.class, AuthConflictException.class, AuthenticationFailedException.class,
            MembershipException.class, RevisionCompactedException.class, IllegalArgumentException.class})
    ResponseEntity<ProblemDetail> known(Exception e) {
        return ApiProblems.known(e);
    }

    @ExceptionHandler(RequestTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(RequestTooLargeException e) {
        return ApiProblems.invalidInput(InvalidInputException.overLimit("body", e.getMessage(), String.valueOf(e.limit()), true));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        // A repeated parameter arrives as an array, whose toString() is a Java type name; name its first
        // value, the one that was converted, and say that it should be given once.
        Object value = e.getValue();
        String repeated = "";
        if (value instanceof Object[] values) {
            repeated = values.length > 1 ? " (it is given " + values.length + " times; give it once)" : "";
            value = values.length == 0 ? "" : values[0];
        }
        return ApiProblems.invalidInput(InvalidInputException.invalid(e.getName(), "parameter '" + e.getName() + "' must be "
                + JsonBodyErrors.kind(e.getRequiredType()) + ", not '" + JsonBodyErrors.printable(String.valueOf(value)) + "'" + repeated));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        RequestTooLargeException tooLarge = findCause(e, RequestTooLargeException.class);
        if (tooLarge != null) {
            return asObject(tooLarge(tooLarge));
        }
        InvalidInputException invalid = findCause(e, InvalidInputException.class);
        if (invalid == null) {
            JacksonException json = findCause(e, JacksonException.class);
            invalid = json != null ? JsonBodyErrors.describe(json)
                    : InvalidInputException.invalid("body", "the request body is missing; this endpoint takes a JSON object");
        }
        ResponseEntity<ProblemDetail> answer = ApiProblems.invalidInput(invalid);
        answer.getBody().setTitle("Malformed request body");
        return asObject(answer);
    }

    private static ResponseEntity<Object> asObject(ResponseEntity<ProblemDetail> answer) {
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders()).body(answer.getBody());
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
        return asObject(ApiProblems.internalError());
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
