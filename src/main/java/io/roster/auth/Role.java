package io.roster.auth;

import java.util.List;

/** A named set of permissions; the role named {@value #ROOT} may do everything. */
public record Role(String name, List<Permission> permissions) {

    public static final String ROOT = "root";

    public Role {
        permissions = List.copyOf(permissions);
    }

    public boolean allows(Permission needed) {
        if (ROOT.equals(name)) {
            return true;
        }
        for (Permission permission : permissions) {
            if (permission.allows(needed)) {
                return true;
            }
        }
        return false;
    }

    public boolean allowsPartOf(Permission needed) {
        if (ROOT.equals(name)) {
            return true;
        }
        for (Permission permission : permissions) {
            if (permission.allowsPartOf(needed)) {
                return true;
            }
        }
        return false;
    }
}
