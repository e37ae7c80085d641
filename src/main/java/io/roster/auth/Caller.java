package io.roster.auth;

import java.util.List;

/**
 * Who sent a request, as the access check sees it: a user with its roles, or an anonymous caller of a
 * member that requires no credentials (who may do everything).
 *
 * @param name the user, or a description such as "client token" or "anonymous"
 * @param via how the caller proved it: "password token", "client token", "client certificate", "none"
 */
public record Caller(String name, List<Role> roles, boolean unrestricted, String via) {

    public static final Caller OPEN = new Caller("anonymous", List.of(), true, "none");

    public Caller {
        roles = List.copyOf(roles);
    }

    public boolean allows(Permission needed) {
        if (unrestricted) {
            return true;
        }
        for (Role role : roles) {
            if (role.allows(needed)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the caller may see some of what {@code needed} covers (a watch or list shows just that part). */
    public boolean allowsPartOf(Permission needed) {
        return unrestricted || roles.stream().anyMatch(role -> role.allowsPartOf(needed));
    }

    public boolean isRoot() {
        return unrestricted || roles.stream().anyMatch(role -> Role.ROOT.equals(role.name()));
    }

    public List<String> roleNames() {
        return roles.stream().map(Role::name).toList();
    }
}
