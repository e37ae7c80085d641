package io.roster.api.error;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;

/**
 * Refuses, with a 400 problem, a request that can be read more than one way, before any controller sees
 * it: a path spelled other than plainly, a query string that does not decode, or an {@code Accept} or
 * {@code Content-Type} header that does not parse. Reactor Netty, Spring WebFlux and this filter would
 * otherwise each decide what such a request means, and a check made on one reading (a token, a key name)
 * could be walked around with another: {@code /v1;x=1/kv/a} and {@code /%761/kv/a} name {@code /v1/kv/a}.
 *
 * <p>It runs right after the token check, so a client without a token learns nothing, and before every
 * filter or controller that reads the path, the query or the body.
 */
@Component
@Order(RefusingFilters.ORDER - 1)
class RequestShapeFilter implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        ServerHttpResponse response = exchange.getResponse();
        String problem = RequestPaths.ambiguity(request.getPath().value());
        if (problem != null) {
            return refuse(response, "Ambiguous path", problem, "path");
        }
        problem = QueryStrings.problem(request.getURI().getRawQuery());
        if (problem != null) {
            return refuse(response, "Malformed query string", problem, "query");
        }
        problem = mediaTypeProblem(request.getHeaders());
        if (problem != null) {
            return refuse(response, "Malformed header", problem, "header");
        }
        return chain.filter(exchange);
    }

    private static String mediaTypeProblem(HttpHeaders headers) {
        String accept = String.join(",", headers.getValuesAsList(HttpHeaders.ACCEPT));
        if (!accept.isBlank()) {
            try {
                MediaType.parseMediaTypes(accept);
            } catch (InvalidMediaTypeException e) {
                return "the Accept header is malformed (" + e.getMessage() + "); send for example 'Accept: application/json'";
            }
        }
        List<String> contentTypes = headers.getOrEmpty(HttpHeaders.CONTENT_TYPE);
        if (contentTypes.size() > 1) {
            return "the request has " + contentTypes.size() + " Content-Type headers; send one, 'Content-Type: application/json'";
        }
        if (contentTypes.size() == 1) {
            try {
                MediaType.parseMediaType(contentTypes.get(0));
            } catch (InvalidMediaTypeException e) {
                return "the Content-Type header is malformed (" + e.getMessage() + "); send 'Content-Type: application/json'";
            }
        }
        return null;
    }

    private static Mono<Void> refuse(ServerHttpResponse response, String title, String detail, String field) {
        return RefusingFilters.writeProblem(response, HttpStatus.BAD_REQUEST, title, detail, Map.of("field", field));
    }
}
