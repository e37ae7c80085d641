package io.roster.api.error;

import io.roster.config.RosterProperties;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.Map;

/**
 * Refuses request bodies past the configured limit before they are read into memory: by Content-Length
 * when given (the connection then carries no more than that), and by counting bytes for chunked bodies.
 */
@Component
@Order(RefusingFilters.ORDER)
class RequestSizeLimitFilter implements WebFilter {

    private final long limit;

    RequestSizeLimitFilter(RosterProperties properties) {
        this.limit = properties.limits().maxRequestBody().toBytes();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        long length = request.getHeaders().getContentLength();
        if (length > limit) {
            return RefusingFilters.writeProblem(exchange.getResponse(), HttpStatus.CONTENT_TOO_LARGE, "Too large", "the request body is "
                    + length + " bytes; the limit is " + limit + " bytes (roster.limits.max-request-body)",
                    Map.of("field", "body", "limit", Long.toString(limit)));
        }
        if (length >= 0) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate().request(new CountedBody(request, limit)).build());
    }

    /** A body of unknown length, which fails with {@link RequestTooLargeException} once past the limit. */
    private static final class CountedBody extends ServerHttpRequestDecorator {
        private final long limit;

        CountedBody(ServerHttpRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public Flux<DataBuffer> getBody() {
            long[] count = {0};
            return super.getBody().handle((buffer, sink) -> {
                count[0] += buffer.readableByteCount();
                if (count[0] > limit) {
                    DataBufferUtils.release(buffer);
                    sink.error(new RequestTooLargeException(limit));
                } else {
                    sink.next(buffer);
                }
            });
        }
    }
}
