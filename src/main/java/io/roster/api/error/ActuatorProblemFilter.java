package io.roster.api.error;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.Map;

/**
 * The health and metrics endpoints answer a name they do not know ({@code /actuator/health/nope},
 * {@code /actuator/metrics/nope}, a tag value no meter has) with a bare 404: no body, no content type.
 * Every other 4xx is an RFC 9457 problem, so these become one too: an error answer completed without a
 * body is replaced by the problem.
 */
@Component
@Order(RefusingFilters.ORDER + 1)
class ActuatorProblemFilter implements WebFilter {

    static final String UNKNOWN_NAME = "the actuator knows no such health group or component, metric, or tag value;"
            + " /actuator/health and /actuator/metrics list the names";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        if (!path.startsWith("/actuator/health/") && !path.startsWith("/actuator/metrics/")) {
            return chain.filter(exchange);
        }
        ServerHttpResponse response = exchange.getResponse();
        return chain.filter(exchange.mutate().response(new ServerHttpResponseDecorator(response) {
            @Override
            public Mono<Void> setComplete() {
                HttpStatusCode status = getStatusCode();
                HttpStatus known = status == null ? null : HttpStatus.resolve(status.value());
                if (known != null && known.isError() && getHeaders().getContentType() == null && !isCommitted()) {
                    return RefusingFilters.writeProblem(response, known, known.getReasonPhrase(), detail(known), Map.of("field", "path"));
                }
                return super.setComplete();
            }
        }).build());
    }

    private static String detail(HttpStatus status) {
        return status == HttpStatus.NOT_FOUND ? UNKNOWN_NAME : "the actuator refused the request (" + status.getReasonPhrase() + ")";
    }
}
