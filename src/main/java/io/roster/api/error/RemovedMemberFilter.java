package io.roster.api.error;

import io.roster.cluster.RemovedMemberGuard;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.Map;

/** A member removed from the cluster answers every API request with 410 and what to do instead. */
@Component
@Order(RefusingFilters.ORDER)
class RemovedMemberFilter implements WebFilter {

    private final RemovedMemberGuard guard;

    RemovedMemberFilter(RemovedMemberGuard guard) {
        this.guard = guard;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (guard.removed() && exchange.getRequest().getPath().value().startsWith("/v1/")) {
            return RefusingFilters.writeProblem(exchange.getResponse(), HttpStatus.GONE, "Member removed", guard.explanation(), Map.of());
        }
        return chain.filter(exchange);
    }
}
