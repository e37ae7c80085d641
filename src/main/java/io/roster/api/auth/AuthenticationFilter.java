package io.roster.api.auth;

import io.roster.api.error.RefusingFilters;
import io.roster.auth.AccessControl;
import io.roster.auth.Caller;
import io.roster.common.Certificates;
import io.roster.config.RosterProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds out who sent a request. Credentials are needed once {@code roster.auth.tokens} is set or users
 * and roles are enabled ({@code rosterctl auth enable}); then a request carries one of:
 * <ul>
 *   <li>{@code Authorization: Bearer <token>} with a token {@code POST /v1/auth/authenticate} issued
 *       for a user's name and password;</li>
 *   <li>{@code Authorization: Bearer <token>} with one of the static client tokens, which act with
 *       {@code roster.auth.token-role} (root by default);</li>
 *   <li>a client certificate (with {@code server.ssl.client-auth=need}) whose CN is a user's name.</li>
 * </ul>
 * Others get 401 with a {@code WWW-Authenticate} challenge, except on the {@link PublicPaths}. Denying by
 * default, on the raw path, means no spelling of a path can reach an endpoint without credentials, however
 * Reactor Netty or Spring WebFlux decode and normalise it. What the caller may then do is {@link AuthorizationFilter}'s.
 *
 * <p>This runs first among the refusing filters, so a client without credentials learns nothing else, not
 * even that its request was malformed or that the member was removed.
 */
@Component
@Order(RefusingFilters.ORDER - 2)
class AuthenticationFilter implements WebFilter {

    private static final Logger audit = LoggerFactory.getLogger("io.roster.audit");
    private static final String HEALTH = "/actuator/health";
    private static final String SCHEME = "Bearer ";
    private static final String CHALLENGE = "Bearer realm=\"roster\"";
    private static final String HOW = "send the header 'Authorization: Bearer <token>' (rosterctl: --token or ROSTERCTL_TOKEN)";
    private static final String HOW_WITH_USERS = "send 'Authorization: Bearer <token>' with a client token or one from"
            + " POST /v1/auth/authenticate, or present a client certificate whose CN is a user";
    private static final Authentication CLIENT = UsernamePasswordAuthenticationToken.authenticated("roster-client", null, List.of());

    private final ClientTokens tokens;
    private final String tokenRole;
    private final PublicPaths publicPaths;
    private final AccessControl access;

    AuthenticationFilter(RosterProperties properties, AccessControl access) {
        this.tokens = ClientTokens.of(properties.auth().tokens());
        this.tokenRole = properties.auth().tokenRole();
        this.publicPaths = new PublicPaths(properties.auth());
        this.access = access;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        if (!tokens.required() && !access.enabled()) {
            Callers.set(exchange, Caller.OPEN); // an open member: every caller may do and see everything
            return isHealth(path) ? authorized(chain, exchange) : chain.filter(exchange);
        }
        Identified identified = identify(exchange.getRequest());
        if (identified.caller() != null) {
            Callers.set(exchange, identified.caller());
            return isHealth(path) ? authorized(chain, exchange) : chain.filter(exchange);
        } else if (publicPaths.isPublic(path)) {
            return chain.filter(exchange); // anonymous: a probe, the health status without details, the API description
        }
        audit.info("user=- method={} path={} outcome=unauthenticated reason=\"{}\"", exchange.getRequest().getMethod(),
                path, identified.detail());
        return refuse(exchange.getResponse(), identified.challenge(), identified.detail());
    }

    /** The caller, or why there is none (the challenge and the problem's detail). */
    private record Identified(Caller caller, String challenge, String detail) {
        static Identified as(Caller caller) {
            return new Identified(caller, null, null);
        }

        static Identified refused(String challenge, String detail) {
            return new Identified(null, challenge, detail);
        }
    }

    private Identified identify(ServerHttpRequest request) {
        List<String> authorizations = request.getHeaders().getOrEmpty(HttpHeaders.AUTHORIZATION);
        String authorization = authorizations.isEmpty() ? null : authorizations.get(0);
        if (authorizations.size() > 1) {
            // Authorization is a singleton field (RFC 9110): with two, which one counts is up to each reader,
            // so a request that carries a good and a bad credential is refused, whatever their order.
            return Identified.refused(CHALLENGE + ", error=\"invalid_request\"", "the request has more than one Authorization header; send one: " + HOW);
        }
        if (authorization == null || authorization.isBlank()) {
            return fromCertificate(request);
        }
        if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Identified.refused(CHALLENGE + ", error=\"invalid_request\"", "the Authorization header must use the Bearer scheme: " + HOW);
        }
        String token = authorization.substring(SCHEME.length()).trim();
        if (AccessControl.isIssuedToken(token)) {
            if (!access.enabled()) {
                return Identified.refused(CHALLENGE + ", error=\"invalid_token\"",
                        "users and roles are off (rosterctl auth status), so a user's token counts for nothing: send a client token");
            }
            return access.verify(token).flatMap(user -> access.caller(user, "password"))
                    .map(Identified::as)
                    .orElseGet(() -> Identified.refused(CHALLENGE + ", error=\"invalid_token\"",
                            "the token has expired, or its user no longer exists; authenticate again (POST /v1/auth/authenticate)"));
        }
        if (tokens.accepts(token)) {
            return Identified.as(access.tokenCaller(tokenRole));
        }
        return Identified.refused(CHALLENGE + ", error=\"invalid_token\"",
                "the bearer token is not one this member accepts (roster.auth.tokens) nor one it issued; check the token the client was given");
    }

    private Identified fromCertificate(ServerHttpRequest request) {
        SslInfo ssl = request.getSslInfo();
        X509Certificate[] chain = ssl == null ? null : ssl.getPeerCertificates();
        if (access.enabled() && chain != null && chain.length > 0) {
            List<String> names = Certificates.userNames(chain[0]);
            if (names.isEmpty()) {
                return Identified.refused(CHALLENGE, "the client certificate has no CN or DNS or email name to name a user: " + HOW_WITH_USERS);
            }
            for (String name : names) {
                Optional<Caller> caller = access.caller(name, "client certificate");
                if (caller.isPresent()) {
                    return Identified.as(caller.get());
                }
            }
            return Identified.refused(CHALLENGE, "no name of the client certificate is a user: '" + String.join("', '", names)
                    + "' (its CN, then its DNS and email names); add one: rosterctl user add " + names.get(0) + " --no-password");
        }
        return Identified.refused(CHALLENGE, access.enabled() ? "this member requires credentials: " + HOW_WITH_USERS
                : "this member requires a client token: " + HOW);
    }

    private static boolean isHealth(String rawRequestUri) {
        return rawRequestUri.equals(HEALTH) || rawRequestUri.startsWith(HEALTH + "/");
    }

    /**
     * A caller with credentials, as Spring Boot's actuator sees it: the health documents' details
     * ({@code show-details: when-authorized}) name disk paths and member addresses.
     */
    private static Mono<Void> authorized(WebFilterChain chain, ServerWebExchange exchange) {
        return chain.filter(exchange).contextWrite(ReactiveSecurityContextHolder.withAuthentication(CLIENT));
    }

    private static Mono<Void> refuse(ServerHttpResponse response, String challenge, String detail) {
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        return RefusingFilters.writeProblem(response, HttpStatus.UNAUTHORIZED, "Unauthorized", detail, Map.of());
    }
}
