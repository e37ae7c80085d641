package io.roster.auth;

import java.util.List;

/**
 * A user: a password (stored as a bcrypt hash), or none when the user only authenticates with a client
 * certificate whose CN is its name, and the roles granted to it.
 */
public record User(String name, String passwordHash, List<String> roles) {

    public User {
        roles = List.copyOf(roles);
    }

    public boolean hasPassword() {
        return passwordHash != null && !passwordHash.isEmpty();
    }
}
