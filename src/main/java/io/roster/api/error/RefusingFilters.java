package io.roster.api.error;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the web filters that refuse a request before a controller share: their place in the filter chain,
 * and the RFC 9457 problem they answer with (the same shape {@link ApiExceptionHandler} gives).
 */
public final class RefusingFilters {

    /** Before any filter that answers a request itself, such as the heartbeat endpoint. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RefusingFilters() {
    }

    /** Writes the problem as the whole answer; {@code extra} members follow the standard ones. */
    public static Mono<Void> writeProblem(ServerHttpResponse response, HttpStatus status, String title, String detail,
            Map<String, Object> extra) {
        byte[] body = problem(status, title, detail, extra);
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().setContentLength(body.length);
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
    }

    /** The problem document's bytes. */
    static byte[] problem(HttpStatus status, String title, String detail, Map<String, Object> extra) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.putAll(extra);
        return JSON.writeValueAsBytes(problem);
    }
}
