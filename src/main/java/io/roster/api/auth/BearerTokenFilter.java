package io.roster.api.auth;

import io.roster.api.error.RefusingFilters;
import io.roster.config.RosterProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.security.Principal;
import java.util.Collections;
import java.util.Map;

/**
 * When {@code roster.auth.tokens} is set, every request must carry one of them as
 * {@code Authorization: Bearer <token>} (RFC 6750); others get 401 with a {@code WWW-Authenticate}
 * challenge. Only the {@link PublicPaths} are open: the probes, the health status without its details,
 * Prometheus, and the API description.
 * Denying by default, on the raw URI, means no spelling of a path can reach an endpoint without a token,
 * however Tomcat or Spring MVC decode and normalise it.
 *
 * <p>This runs first among the refusing filters, so a client without a token learns nothing else, not
 * even that its request was malformed or that the member was removed.
 */
@Component
@Order(RefusingFilters.ORDER - 2)
class BearerTokenFilter extends OncePerRequestFilter {

    private static final String HEALTH = "/actuator/health";
    private static final String SCHEME = "Bearer ";
    private static final String CHALLENGE = "Bearer realm=\"roster\"";
    private static final String HOW = "send the header 'Authorization: Bearer <token>' (rosterctl: --token or ROSTERCTL_TOKEN)";

    private final ClientTokens tokens;
    private final PublicPaths publicPaths;

    BearerTokenFilter(RosterProperties properties) {
        this.tokens = ClientTokens.of(properties.auth().tokens());
        this.publicPaths = new PublicPaths(properties.auth().publicApiDocs());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // Health documents are filtered even when no token is needed: their details follow the caller's standing.
        return !isHealth(request.getRequestURI()) && (!tokens.required() || publicPaths.isPublic(request.getRequestURI()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!tokens.required()) {
            chain.doFilter(new AuthorizedRequest(request), response); // an open member: every caller may see everything
            return;
        }
        Refusal refusal = check(request);
        if (refusal == null) {
            chain.doFilter(isHealth(request.getRequestURI()) ? new AuthorizedRequest(request) : request, response);
        } else if (publicPaths.isPublic(request.getRequestURI())) {
            chain.doFilter(request, response); // anonymous: a probe or the health status, without details
        } else {
            refuse(response, refusal.challenge(), refusal.detail());
        }
    }

    private static boolean isHealth(String rawRequestUri) {
        return rawRequestUri.equals(HEALTH) || rawRequestUri.startsWith(HEALTH + "/");
    }

    private record Refusal(String challenge, String detail) {
    }

    /** Why the request's credentials are not good, or null when they are. */
    private Refusal check(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && Collections.list(request.getHeaders(HttpHeaders.AUTHORIZATION)).size() > 1) {
            // Authorization is a singleton field (RFC 9110): with two, which one counts is up to each reader,
            // so a request that carries a good and a bad credential is refused, whatever their order.
            return new Refusal(CHALLENGE + ", error=\"invalid_request\"", "the request has more than one Authorization header; send one: " + HOW);
        }
        if (authorization == null || authorization.isBlank()) {
            return new Refusal(CHALLENGE, "this member requires a client token: " + HOW);
        }
        if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return new Refusal(CHALLENGE + ", error=\"invalid_request\"", "the Authorization header must use the Bearer scheme: " + HOW);
        }
        if (!tokens.accepts(authorization.substring(SCHEME.length()).trim())) {
            return new Refusal(CHALLENGE + ", error=\"invalid_token\"",
                    "the bearer token is not one this member accepts (roster.auth.tokens); check the token the client was given");
        }
        return null;
    }

    /**
     * A caller that passed the token check, as Spring Boot's actuator sees it: the health document's
     * details ({@code show-details: when-authorized}) name disk paths and member addresses.
     */
    private static final class AuthorizedRequest extends HttpServletRequestWrapper {
        private static final Principal CLIENT = () -> "roster-client";

        AuthorizedRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public Principal getUserPrincipal() {
            return CLIENT;
        }
    }

    private static void refuse(HttpServletResponse response, String challenge, String detail) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge);
        RefusingFilters.writeProblem(response, HttpStatus.UNAUTHORIZED, "Unauthorized", detail, Map.of());
    }
}
