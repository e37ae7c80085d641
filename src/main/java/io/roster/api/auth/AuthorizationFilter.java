package io.roster.api.auth;

import io.roster.api.error.RefusingFilters;
import io.roster.auth.Caller;
import io.roster.config.RosterProperties;
import io.roster.lease.LeaseService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.Map;

/**
 * Lets a request through only if its caller's roles grant what the endpoint needs ({@link Authorizer});
 * else 403 with a problem that names the missing permission, and an audit line. Runs after
 * {@code RequestShapeFilter}, so the path it reads is the one the endpoint will see.
 */
@Component
@Order(RefusingFilters.ORDER)
class AuthorizationFilter implements WebFilter {

    private static final Logger audit = LoggerFactory.getLogger("io.roster.audit");

    private final Authorizer authorizer;

    AuthorizationFilter(LeaseService leases, RosterProperties properties) {
        this.authorizer = new Authorizer(leases, new PublicPaths(properties.auth()));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Caller caller = Callers.of(exchange);
        if (caller == null || caller.isRoot()) {
            return chain.filter(exchange); // anonymous on an open path, or allowed everything
        }
        String method = exchange.getRequest().getMethod().name();
        String path = exchange.getRequest().getPath().value();
        String missing = authorizer.need(method, path).missing(caller);
        if (missing == null) {
            return chain.filter(exchange);
        }
        audit.info("user={} via=\"{}\" method={} path={} outcome=denied missing=\"{}\"", caller.name(), caller.via(),
                method, path, missing);
        return RefusingFilters.writeProblem(exchange.getResponse(), HttpStatus.FORBIDDEN, "Forbidden", caller.name() + " (roles: "
                + (caller.roleNames().isEmpty() ? "none" : String.join(", ", caller.roleNames())) + ") lacks " + missing
                + "; a root user can grant it: rosterctl role grant-permission", Map.of("missing", missing));
    }
}
