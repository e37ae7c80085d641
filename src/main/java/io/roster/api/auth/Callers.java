package io.roster.api.auth;

import io.roster.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;

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

    /** How audit lines name the caller. */
    public static String name(HttpServletRequest request) {
        Caller caller = of(request);
        return caller == null ? "-" : caller.name();
    }
}
