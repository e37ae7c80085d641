package io.roster.api.auth;

import io.roster.auth.Caller;
import io.roster.auth.Permission;
import jakarta.servlet.http.HttpServletRequest;

import java.util.function.Predicate;

/** Where the authentication filter leaves the request's caller for the access check and the controllers. */
public final class Callers {

    private static final String ATTRIBUTE = Callers.class.getName();

    private Callers() {
    }

    static void set(HttpServletRequest request, Caller caller) {
        request.setAttribute(ATTRIBUTE, caller);
    }

    /** The caller, or null for an anonymous request to an open path of a member that requires credentials. */
    public static Caller of(HttpServletRequest request) {
        return (Caller) request.getAttribute(ATTRIBUTE);
    }

    /**
     * What the request's caller may see, for a watch or list that leaves out the rest: fixed when the
     * request arrives, as the access check was.
     */
    public static Predicate<Permission> visibleTo(HttpServletRequest request) {
        Caller caller = of(request);
        return caller == null ? needed -> false : caller::allows;
    }

    /** How audit lines name the caller. */
    public static String name(HttpServletRequest request) {
        Caller caller = of(request);
        return caller == null ? "-" : caller.name();
    }
}
