package io.roster.api.error;

import io.roster.cluster.RemovedMemberGuard;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/** A member removed from the cluster answers every API request with 410 and what to do instead. */
@Component
@Order(RemovedMemberFilter.ORDER)
class RemovedMemberFilter extends OncePerRequestFilter {

    /**
     * The filters that refuse requests run early, right after the observation filter (so refusals are
     * still counted): before any filter that answers a request itself, such as the heartbeat fast path.
     */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    private final RemovedMemberGuard guard;

    RemovedMemberFilter(RemovedMemberGuard guard) {
        this.guard = guard;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (guard.removed() && request.getRequestURI().startsWith("/v1/")) {
            response.setStatus(HttpStatus.GONE.value());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Member removed\",\"status\":410,\"detail\":\""
                    + guard.explanation().replace("\"", "'") + "\"}");
            return;
        }
        chain.doFilter(request, response);
    }
}
