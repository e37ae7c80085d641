package io.roster.api.error;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

import java.io.IOException;
import java.util.Map;

/**
 * The health and metrics endpoints answer a name they do not know ({@code /actuator/health/nope},
 * {@code /actuator/metrics/nope}, a tag value no meter has) with a bare 404: no body, no content type.
 * Every other 4xx is an RFC 9457 problem, so these become one too. The answer is held back until the
 * endpoint is done (the endpoint flushes its empty answer, which would otherwise commit it) and replaced
 * only when it is an error with no body at all.
 */
@Component
@Order(RefusingFilters.ORDER + 1)
class ActuatorProblemFilter extends OncePerRequestFilter {

    static final String UNKNOWN_NAME = "the actuator knows no such health group or component, metric, or tag value;"
            + " /actuator/health and /actuator/metrics list the names";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return !uri.startsWith("/actuator/health/") && !uri.startsWith("/actuator/metrics/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingResponseWrapper held = new ContentCachingResponseWrapper(response);
        chain.doFilter(request, held);
        int status = held.getStatus();
        if (status >= 400 && held.getContentSize() == 0 && held.getContentType() == null && !response.isCommitted()) {
            HttpStatus known = HttpStatus.resolve(status);
            if (known != null) {
                response.reset();
                RefusingFilters.writeProblem(response, known, known.getReasonPhrase(), detail(known), Map.of("field", "path"));
                return;
            }
        }
        held.copyBodyToResponse();
    }

    private static String detail(HttpStatus status) {
        return status == HttpStatus.NOT_FOUND ? UNKNOWN_NAME : "the actuator refused the request (" + status.getReasonPhrase() + ")";
    }
}
