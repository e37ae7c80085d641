package io.roster.api.auth;

import io.roster.api.error.RefusingFilters;
import io.roster.auth.Caller;
import io.roster.config.RosterProperties;
import io.roster.lease.LeaseService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Map;

/**
 * Lets a request through only if its caller's roles grant what the endpoint needs ({@link Authorizer});
 * else 403 with a problem that names the missing permission, and an audit line. Runs after
 * {@code RequestShapeFilter}, so the path it reads is the one the endpoint will see.
 */
@Component
@Order(RefusingFilters.ORDER)
class AuthorizationFilter extends OncePerRequestFilter {

    private static final Logger audit = LoggerFactory.getLogger("io.roster.audit");

    private final Authorizer authorizer;

    AuthorizationFilter(LeaseService leases, RosterProperties properties) {
        this.authorizer = new Authorizer(leases, new PublicPaths(properties.auth()));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        Caller caller = Callers.of(request);
        return caller == null || caller.isRoot(); // anonymous on an open path, or allowed everything
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Caller caller = Callers.of(request);
        String missing = authorizer.need(request.getMethod(), request.getRequestURI()).missing(caller);
        if (missing == null) {
            chain.doFilter(request, response);
            return;
        }
        audit.info("user={} via=\"{}\" method={} path={} outcome=denied missing=\"{}\"", caller.name(), caller.via(),
                request.getMethod(), request.getRequestURI(), missing);
        RefusingFilters.writeProblem(response, HttpStatus.FORBIDDEN, "Forbidden", caller.name() + " (roles: "
                + (caller.roleNames().isEmpty() ? "none" : String.join(", ", caller.roleNames())) + ") lacks " + missing
                + "; a root user can grant it: rosterctl role grant-permission", Map.of("missing", missing));
    }
}
