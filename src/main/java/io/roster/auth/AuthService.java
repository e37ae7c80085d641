package io.roster.auth;

import io.roster.common.InvalidInputException;
import io.roster.common.NotFoundException;
import io.roster.common.Revised;
import io.roster.raft.RaftNode;
import io.roster.store.AuthRecord;
import io.roster.store.RosterStore;
import io.roster.store.command.Command;
import io.roster.store.command.CommandResult;
import io.roster.store.command.PutAuthRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Users, roles and the auth switch (etcd's auth model, with registry permissions): checks what a request
 * means, then proposes the changed record with a compare on what it read, so concurrent changes never
 * overwrite each other. Every change is logged on the audit logger.
 */
public final class AuthService {

    private static final Logger audit = LoggerFactory.getLogger("io.roster.audit");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}");
    private static final int MIN_PASSWORD = 8;
    private static final int MAX_PASSWORD_BYTES = 72; // bcrypt reads no further

    private final RaftNode raft;
    private final RosterStore store;
    private final AccessControl access;
    private final PasswordEncoder passwords;
    private final Duration tokenTtl;
    /**
     * Compared against when a user does not exist, so that a wrong name costs as long as a wrong password. Made
     * on first use: a bcrypt hash is a tenth of a second of the start's critical path otherwise.
     */
    private volatile String decoyHash;

    public AuthService(RaftNode raft, RosterStore store, AccessControl access, PasswordEncoder passwords, Duration tokenTtl) {
        this.raft = raft;
        this.store = store;
        this.access = access;
        this.passwords = passwords;
        this.tokenTtl = tokenTtl;
    }

    public record Status(boolean enabled, int users, int roles) {
    }

    public record Token(String token, String user, long expiresInSeconds) {
    }

    public Status status() {
        return new Status(access.enabled(), access.users().size(), access.roles().size());
    }

    public List<User> users() {
        return access.users().stream().sorted(Comparator.comparing(User::name)).toList();
    }

    public User user(String name) {
        return access.user(requireName("user", name)).orElseThrow(() -> missing("user", name));
    }

    public List<Role> roles() {
        return access.roles().stream().sorted(Comparator.comparing(Role::name)).toList();
    }

    public Role role(String name) {
        return access.role(requireName("role", name)).orElseThrow(() -> missing("role", name));
    }

    // ---- users ----

    /** A user with a password, or with none (null or empty) when it signs in with a client certificate only. */
    public CompletableFuture<Revised<User>> addUser(String name, String password, String by) {
        requireName("user", name);
        String hash = password == null || password.isEmpty() ? null : passwords.encode(requirePassword(password));
        User user = new User(name, hash, List.of());
        return write(AuthRecords.USER + name, 0, AuthRecords.encode(user), "user '" + name + "' already exists")
                .thenApply(done -> new Revised<>(logged(by, "user add " + name, user), store.revision()));
    }

    public CompletableFuture<Void> deleteUser(String name, String by) {
        AuthRecord record = requireRecord(AuthRecords.USER, "user", name);
        if (access.enabled() && Role.ROOT.equals(name)) {
            throw new AuthConflictException("user 'root' cannot be deleted while auth is enabled; run 'rosterctl auth disable' first");
        }
        return write(record.name(), record.modRevision(), null, null).thenApply(done -> logged(by, "user delete " + name, null));
    }

    public CompletableFuture<Void> changePassword(String name, String password, String by) {
        String hash = passwords.encode(requirePassword(password));
        return updateUser(name, user -> new User(user.name(), hash, user.roles()))
                .thenApply(user -> logged(by, "user passwd " + name, null));
    }

    public CompletableFuture<User> grantRole(String name, String roleName, String by) {
        role(roleName);
        return updateUser(name, user -> {
            List<String> roles = new ArrayList<>(user.roles());
            if (!roles.contains(roleName)) {
                roles.add(roleName);
            }
            return new User(user.name(), user.passwordHash(), roles);
        }).thenApply(user -> logged(by, "user grant-role " + name + " " + roleName, user));
    }

    public CompletableFuture<User> revokeRole(String name, String roleName, String by) {
        User current = user(name);
        if (!current.roles().contains(roleName)) {
            throw missing("role '" + roleName + "' of user", name);
        }
        if (access.enabled() && Role.ROOT.equals(name) && Role.ROOT.equals(roleName)) {
            throw new AuthConflictException("user 'root' keeps role 'root' while auth is enabled; run 'rosterctl auth disable' first");
        }
        return updateUser(name, user -> new User(user.name(), user.passwordHash(),
                user.roles().stream().filter(role -> !role.equals(roleName)).toList()))
                .thenApply(user -> logged(by, "user revoke-role " + name + " " + roleName, user));
    }

    // ---- roles ----

    public CompletableFuture<Revised<Role>> addRole(String name, String by) {
        requireName("role", name);
        if (Role.ROOT.equals(name)) {
            throw new AuthConflictException("role 'root' always exists and may do everything");
        }
        Role role = new Role(name, List.of());
        return write(AuthRecords.ROLE + name, 0, AuthRecords.encode(role), "role '" + name + "' already exists")
                .thenApply(done -> new Revised<>(logged(by, "role add " + name, role), store.revision()));
    }

    public CompletableFuture<Void> deleteRole(String name, String by) {
        if (Role.ROOT.equals(name)) {
            throw new AuthConflictException("role 'root' cannot be deleted");
        }
        AuthRecord record = requireRecord(AuthRecords.ROLE, "role", name);
        return write(record.name(), record.modRevision(), null, null).thenApply(done -> logged(by, "role delete " + name, null));
    }

    public CompletableFuture<Role> grantPermission(String name, Permission permission, String by) {
        return updateRole(name, role -> {
            List<Permission> permissions = new ArrayList<>(role.permissions());
            if (!permissions.contains(permission)) {
                permissions.add(permission);
            }
            return new Role(role.name(), permissions);
        }).thenApply(role -> logged(by, "role grant-permission " + name + " " + permission.describe(false), role));
    }

    public CompletableFuture<Role> revokePermission(String name, Permission permission, String by) {
        if (!role(name).permissions().contains(permission)) {
            throw missing("permission " + permission.describe(false) + " of role", name);
        }
        return updateRole(name, role -> new Role(role.name(),
                role.permissions().stream().filter(held -> !held.equals(permission)).toList()))
                .thenApply(role -> logged(by, "role revoke-permission " + name + " " + permission.describe(false), role));
    }

    // ---- the switch and sign-in ----

    /** Turns enforcement on; refused unless a user 'root' holds role 'root', so that someone can turn it off. */
    public CompletableFuture<Status> enable(String by) {
        User root = access.user(Role.ROOT).orElseThrow(() -> new AuthConflictException(
                "auth needs a user 'root' with role 'root' first: rosterctl user add root, then rosterctl user grant-role root root"));
        if (!root.roles().contains(Role.ROOT)) {
            throw new AuthConflictException("user 'root' does not have role 'root': rosterctl user grant-role root root");
        }
        CompletableFuture<Void> key = store.authRecord(AuthRecords.TOKEN_KEY) != null ? CompletableFuture.completedFuture(null)
                : write(AuthRecords.TOKEN_KEY, 0, newTokenKey(), null).exceptionally(error -> {
                    if (error.getCause() instanceof AuthConflictException || error instanceof AuthConflictException) {
                        return null; // another enable made the key first: use it
                    }
                    throw error instanceof java.util.concurrent.CompletionException completion ? completion
                            : new java.util.concurrent.CompletionException(error);
                });
        return key.thenCompose(ignored -> write(AuthRecords.ENABLED, Command.NO_COMPARE, AuthRecords.flag(true), null))
                .thenApply(done -> logged(by, "auth enable", status()));
    }

    public CompletableFuture<Status> disable(String by) {
        return write(AuthRecords.ENABLED, Command.NO_COMPARE, AuthRecords.flag(false), null)
                .thenApply(done -> logged(by, "auth disable", status()));
    }

    private String decoyHash() {
        String hash = decoyHash;
        if (hash == null) {
            hash = passwords.encode("not a password of anyone");
            decoyHash = hash;
        }
        return hash;
    }

    /** A short-lived token for a user's name and password; the same refusal whichever of the two is wrong. */
    public Token authenticate(String name, String password) {
        User user = name == null ? null : access.user(name).orElse(null);
        String hash = user != null && user.hasPassword() ? user.passwordHash() : decoyHash();
        boolean matches = password != null && utf8Length(password) <= MAX_PASSWORD_BYTES && passwords.matches(password, hash);
        if (user == null || !user.hasPassword() || !matches) {
            audit.info("user={} action=authenticate outcome=denied", name);
            throw new AuthenticationFailedException("the name or password is wrong");
        }
        String token = access.issue(user.name(), tokenTtl).orElseThrow(() -> new AuthConflictException(
                "auth has never been enabled on this cluster, so it issues no tokens: rosterctl auth enable"));
        return new Token(token, user.name(), tokenTtl.toSeconds());
    }

    // ---- the plumbing ----

    private CompletableFuture<User> updateUser(String name, Function<User, User> change) {
        AuthRecord record = requireRecord(AuthRecords.USER, "user", name);
        User changed = change.apply(AuthRecords.decodeUser(record));
        return write(record.name(), record.modRevision(), AuthRecords.encode(changed), null).thenApply(done -> changed);
    }

    private CompletableFuture<Role> updateRole(String name, Function<Role, Role> change) {
        if (Role.ROOT.equals(name)) {
            throw new AuthConflictException("role 'root' may do everything already; it holds no permissions of its own");
        }
        AuthRecord record = requireRecord(AuthRecords.ROLE, "role", name);
        Role changed = change.apply(AuthRecords.decodeRole(record));
        return write(record.name(), record.modRevision(), AuthRecords.encode(changed), null).thenApply(done -> changed);
    }

    private CompletableFuture<Void> write(String recordName, long expectedRevision, byte[] value, String conflictIfPresent) {
        return raft.propose(new PutAuthRecord(recordName, value, expectedRevision)).thenApply(result -> {
            if (result instanceof CommandResult.Rejected rejected) {
                throw new AuthConflictException(conflictIfPresent != null && expectedRevision == 0 ? conflictIfPresent : rejected.reason());
            }
            return null;
        });
    }

    private AuthRecord requireRecord(String kind, String what, String name) {
        requireName(what, name);
        AuthRecord record = store.authRecord(kind + name);
        if (record == null) {
            throw missing(what, name);
        }
        return record;
    }

    private NotFoundException missing(String what, String name) {
        return new NotFoundException(what + " '" + name + "' not found", store.revision());
    }

    private static String requireName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw InvalidInputException.invalid("name", "a " + what + " name is 1 to 128 letters, digits and . _ @ : -,"
                    + " starting with a letter or digit");
        }
        return name;
    }

    private static String requirePassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD || utf8Length(password) > MAX_PASSWORD_BYTES) {
            throw InvalidInputException.invalid("password", "a password is at least " + MIN_PASSWORD + " characters and at most "
                    + MAX_PASSWORD_BYTES + " bytes in UTF-8");
        }
        return password;
    }

    private static int utf8Length(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private static byte[] newTokenKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static <T> T logged(String by, String action, T result) {
        audit.info("user={} action=\"{}\" outcome=done", by, action);
        return result;
    }
}
