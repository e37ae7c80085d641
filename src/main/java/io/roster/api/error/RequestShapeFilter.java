package io.roster.api.error;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Collections;
import java.util.Map;

/**
 * Refuses, with a 400 problem, a request that can be read more than one way, before any controller sees
 * it: a path spelled other than plainly, a query string that does not decode, or an {@code Accept} or
 * {@code Content-Type} header that does not parse. Tomcat, Spring MVC and this filter would otherwise each
 * decide what such a request means, and a check made on one reading (a token, a key name) could be
 * walked around with another: {@code /v1;x=1/kv/a} and {@code /%761/kv/a} are routed as {@code /v1/kv/a}.
 *
 * <p>It runs right after the token check, so a client without a token learns nothing, and before every
 * filter or controller that reads the path, the query or the body.
 */
@Component
@Order(RefusingFilters.ORDER - 1)
class RequestShapeFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String problem = RequestPaths.ambiguity(request.getRequestURI());
        if (problem != null) {
            refuse(response, "Ambiguous path", problem, "path");
            return;
        }
        problem = QueryStrings.problem(request.getQueryString());
        if (problem == null) {
            problem = parametersProblem(request);
        }
        if (problem != null) {
            refuse(response, "Malformed query string", problem, "query");
            return;
        }
        problem = mediaTypeProblem(request);
        if (problem != null) {
            refuse(response, "Malformed header", problem, "header");
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * Tomcat's own parse, which may still refuse what {@link QueryStrings} accepts (too many parameters,
     * a form body it cannot read); it would otherwise throw from the first {@code getParameter} of a
     * controller, as an error no handler expects.
     */
    private static String parametersProblem(HttpServletRequest request) {
        try {
            request.getParameterMap();
            return null;
        } catch (IllegalStateException e) {
            return "the query string or form body could not be read as parameters: send fewer, well-formed 'name=value' pairs";
        }
    }

    private static String mediaTypeProblem(HttpServletRequest request) {
        String accept = String.join(",", Collections.list(request.getHeaders(HttpHeaders.ACCEPT)));
        if (!accept.isBlank()) {
            try {
                MediaType.parseMediaTypes(accept);
            } catch (InvalidMediaTypeException e) {
                return "the Accept header is malformed (" + e.getMessage() + "); send for example 'Accept: application/json'";
            }
        }
        var contentTypes = Collections.list(request.getHeaders(HttpHeaders.CONTENT_TYPE));
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

    private static void refuse(HttpServletResponse response, String title, String detail, String field) throws IOException {
        RefusingFilters.writeProblem(response, HttpStatus.BAD_REQUEST, title, detail, Map.of("field", field));
    }
}
