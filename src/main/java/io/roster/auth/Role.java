package io.roster.auth;

import java.util.List;
import java.util.function.Predicate;

/** A named set of permissions; the role named {@value #ROOT} may do everything. */
public record Role(String name, List<Permission> permissions) {

    public static final String ROOT = "root";

    public Role {
        permissions = List.copyOf(permissions);
    }

    public boolean allows(Permission needed) {
        return grantsAny(permission -> permission.allows(needed));
    }

    public boolean allowsPartOf(Permission needed) {
        return grantsAny(permission -> permission.allowsPartOf(needed));
    }

    private boolean grantsAny(Predicate<Permission> test) {
        return ROOT.equals(name) || permissions.stream().anyMatch(test);
    }
}
