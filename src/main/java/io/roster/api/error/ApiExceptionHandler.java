package io.roster.api.error;

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
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.util.DisconnectedClientHelper;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * The one table that maps errors to the wire: every error is an RFC 9457 problem with a message a person
 * can act on. An exception that reaches the fallback is a bug, and is logged as one.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(CompletionException.class)
    Mono<ResponseEntity<Object>> unwrap(CompletionException e, ServerWebExchange exchange) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof Exception exception && !(cause instanceof CompletionException)) {
            return dispatch(exception, exchange);
        }
        return Mono.justOrEmpty(unexpected(e));
    }

    private Mono<ResponseEntity<Object>> dispatch(Exception e, ServerWebExchange exchange) {
        ResponseEntity<ProblemDetail> known = ApiProblems.known(e);
        if (known != null) {
            return Mono.just(asObject(known));
        }
        if (e instanceof RequestTooLargeException tooLarge) {
            return Mono.just(asObject(tooLarge(tooLarge)));
        }
        return handleException(e, exchange).switchIfEmpty(Mono.defer(() -> Mono.justOrEmpty(unhandled(e, exchange))))
                .onErrorResume(notTheirs -> Mono.justOrEmpty(unhandled(e, exchange)));
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

    /** A parameter that does not convert, as a problem that names it. */
    private static ResponseEntity<ProblemDetail> typeMismatch(String name, TypeMismatchException e) {
        // A repeated parameter arrives as an array or list, whose toString() is a Java type name; name its
        // first value, the one that was converted, and say that it should be given once.
        Object value = e.getValue();
        String repeated = "";
        if (value instanceof Object[] values) {
            repeated = values.length > 1 ? " (it is given " + values.length + " times; give it once)" : "";
            value = values.length == 0 ? "" : values[0];
        } else if (value instanceof List<?> values) {
            repeated = values.size() > 1 ? " (it is given " + values.size() + " times; give it once)" : "";
            value = values.isEmpty() ? "" : values.get(0);
        }
        return ApiProblems.invalidInput(InvalidInputException.invalid(name, "parameter '" + name + "' must be "
                + JsonBodyErrors.kind(e.getRequiredType()) + ", not '" + JsonBodyErrors.printable(String.valueOf(value)) + "'" + repeated));
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException e, HttpHeaders headers,
                                                                         HttpStatusCode status, ServerWebExchange exchange) {
        TypeMismatchException mismatch = findCause(e, TypeMismatchException.class);
        MethodParameter parameter = e.getMethodParameter();
        if (mismatch != null && parameter != null) {
            return Mono.just(asObject(typeMismatch(parameterName(parameter, mismatch), mismatch)));
        }
        if (e instanceof MissingRequestValueException || parameter == null || !isBody(parameter)) {
            return super.handleServerWebInputException(e, headers, status, exchange);
        }
        RequestTooLargeException tooLarge = findCause(e, RequestTooLargeException.class);
        if (tooLarge != null) {
            return Mono.just(asObject(tooLarge(tooLarge)));
        }
        InvalidInputException invalid = findCause(e, InvalidInputException.class);
        if (invalid == null) {
            JacksonException json = findCause(e, JacksonException.class);
            invalid = json != null ? JsonBodyErrors.describe(json)
                    : findCause(e, DecodingException.class) != null
                    ? InvalidInputException.invalid("body", "the body is not the JSON this endpoint expects; see /v3/api-docs")
                    : InvalidInputException.invalid("body", "the request body is missing; this endpoint takes a JSON object");
        }
        ResponseEntity<ProblemDetail> answer = ApiProblems.invalidInput(invalid);
        answer.getBody().setTitle("Malformed request body");
        return Mono.just(asObject(answer));
    }

    /**
     * The problem is JSON whatever the request accepts: a watch asks for {@code text/event-stream}, and its
     * refusal would otherwise be written as one event.
     */
    @Override
    protected Mono<ResponseEntity<Object>> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
                                                                ServerWebExchange exchange) {
        HttpHeaders problemHeaders = new HttpHeaders();
        problemHeaders.putAll(headers);
        if (body instanceof ProblemDetail problem) {
            problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            if (problem.getDetail() == null) {
                // Spring leaves some out, such as a 415 for a Content-Type with a wildcard.
                problem.setDetail(status.value() == HttpStatus.UNSUPPORTED_MEDIA_TYPE.value()
                        ? "this endpoint reads 'Content-Type: application/json' only"
                        : "the request was refused (" + (problem.getTitle() == null ? status : problem.getTitle()) + ")");
            }
        }
        return super.createResponseEntity(body, problemHeaders, status, exchange);
    }

    private static boolean isBody(MethodParameter parameter) {
        return parameter.hasParameterAnnotation(RequestBody.class);
    }

    private static String parameterName(MethodParameter parameter, TypeMismatchException mismatch) {
        RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
        if (param != null && !param.name().isEmpty()) {
            return param.name();
        }
        String name = parameter.getParameterName();
        return name != null ? name : mismatch.getPropertyName();
    }

    /** A body past what the JSON decoder holds in memory, which is set to the request body limit. */
    @ExceptionHandler(DataBufferLimitException.class)
    ResponseEntity<ProblemDetail> bufferLimit(DataBufferLimitException e) {
        return ApiProblems.invalidInput(InvalidInputException.overLimit("body", "the request body exceeds the limit"
                + " (roster.limits.max-request-body)", null, true));
    }

    private static ResponseEntity<Object> asObject(ResponseEntity<ProblemDetail> answer) {
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders()).body(answer.getBody());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unhandled(Exception e, ServerWebExchange exchange) {
        if (isUnknownHealthPath(e, exchange.getRequest().getPath().value())) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ActuatorProblemFilter.UNKNOWN_NAME);
            problem.setTitle("Not Found");
            problem.setProperty("field", "path");
            return ApiProblems.answer(HttpStatus.NOT_FOUND).body(problem);
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
    private static boolean isUnknownHealthPath(Exception e, String path) {
        // Reactor trims the exception's stack to its first frame (Assert.state), so the message names it.
        return e instanceof IllegalStateException && path.startsWith("/actuator/health/") && e.getMessage() != null
                && e.getMessage().contains("'contributor' must not be null");
    }

    private static boolean isClientGone(Exception e) {
        return DisconnectedClientHelper.isClientDisconnectedException(e);
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
