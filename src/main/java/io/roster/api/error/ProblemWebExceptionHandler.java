package io.roster.api.error;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import org.springframework.web.util.DisconnectedClientHelper;
import reactor.core.publisher.Mono;

import java.util.Map;

/**
 * The answer to an error that escapes the controllers' exception handling (one raised in a filter, say):
 * an RFC 9457 problem, whatever the {@code Accept} header says, in place of Spring Boot's JSON or HTML
 * error page. It runs before Spring Boot's own error handler.
 */
@Component
@Order(-2)
class ProblemWebExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemWebExceptionHandler.class);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted() || DisconnectedClientHelper.isClientDisconnectedException(failure)) {
            return Mono.error(failure);
        }
        if (ApiProblems.known(failure) != null) {
            return ApiProblems.write(failure, response);
        }
        if (failure instanceof ErrorResponse refusal && refusal.getStatusCode().is4xxClientError()) {
            HttpStatus status = HttpStatus.valueOf(refusal.getStatusCode().value());
            refusal.getHeaders().forEach((name, values) -> response.getHeaders().put(name, values));
            String detail = status == HttpStatus.NOT_FOUND ? "no endpoint has this path; the API is under /v1 (see /v3/api-docs)"
                    : refusal.getBody().getDetail() != null ? refusal.getBody().getDetail() : "the request was refused (" + status.getReasonPhrase() + ")";
            return RefusingFilters.writeProblem(response, status, status.getReasonPhrase(), detail, Map.of());
        }
        log.error("Unhandled error on {} {}; this is a bug", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), failure);
        return RefusingFilters.writeProblem(response, HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "internal error; please report it with the time of the request and the server log", Map.of());
    }
}
