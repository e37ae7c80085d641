package io.roster.api.auth;

import io.roster.auth.Caller;
import io.roster.auth.Permission;
import org.springframework.web.server.ServerWebExchange;

import java.util.function.Predicate;

/** Where the authentication filter leaves the request's caller for the access check and the controllers. */
public final class Callers {

    private static final String ATTRIBUTE = Callers.class.getName();

    private Callers() {
    }

    static void set(ServerWebExchange exchange, Caller caller) {
        exchange.getAttributes().put(ATTRIBUTE, caller);
    }

    /** The caller, or null for an anonymous request to an open path of a member that requires credentials. */
    public static Caller of(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }

    /**
     * What the request's caller may see, for a watch or list that leaves out the rest: fixed when the
     * request arrives, as the access check was.
     */
    public static Predicate<Permission> visibleTo(ServerWebExchange exchange) {
        Caller caller = of(exchange);
        return caller == null ? needed -> false : caller::allows;
    }

    /** How audit lines name the caller. */
    public static String name(ServerWebExchange exchange) {
        Caller caller = of(exchange);
        return caller == null ? "-" : caller.name();
    }
}
