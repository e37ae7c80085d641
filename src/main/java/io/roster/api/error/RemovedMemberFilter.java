package io.roster.api.error;

import io.roster.cluster.RemovedMemberGuard;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Map;

/** A member removed from the cluster answers every API request with 410 and what to do instead. */
@Component
@Order(RefusingFilters.ORDER)
class RemovedMemberFilter extends OncePerRequestFilter {

    private final RemovedMemberGuard guard;

    RemovedMemberFilter(RemovedMemberGuard guard) {
        this.guard = guard;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (guard.removed() && request.getRequestURI().startsWith("/v1/")) {
            RefusingFilters.writeProblem(response, HttpStatus.GONE, "Member removed", guard.explanation(), Map.of());
            return;
        }
        chain.doFilter(request, response);
    }
}
