package io.roster.auth;

import io.roster.store.AuthRecord;
import io.roster.store.RosterStore;
import io.roster.store.StoreListener;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * This member's view of the replicated users, roles and auth switch, parsed once per change rather than
 * once per request, and the tokens it issues and checks. Every member can check a token any member
 * issued: they are signed with a key that is itself replicated.
 */
public final class AccessControl implements StoreListener {

    private static final String TOKEN_CALLER = "client token";
    private static final String TOKEN_PREFIX = "roster1.";
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNBASE64 = Base64.getUrlDecoder();

    private final RosterStore store;
    private final LongSupplier epochSeconds;
    private final AtomicLong generation = new AtomicLong();
    private volatile View view;

    /** One parse of the access-control records, valid while no record changed since. */
    record View(long generation, boolean enabled, Map<String, User> users, Map<String, Role> roles, byte[] tokenKey) {
    }

    public AccessControl(RosterStore store, LongSupplier epochSeconds) {
        this.store = store;
        this.epochSeconds = epochSeconds;
    }

    @Override
    public void onAuthChanged() {
        generation.incrementAndGet();
    }

    @Override
    public void onReset() {
        generation.incrementAndGet();
    }

    /** Whether users and roles are enforced ({@code rosterctl auth enable}). */
    public boolean enabled() {
        return view().enabled();
    }

    public Optional<User> user(String name) {
        return Optional.ofNullable(view().users().get(name));
    }

    public List<User> users() {
        return List.copyOf(view().users().values());
    }

    /** Every role, {@value Role#ROOT} (which always exists) first. */
    public List<Role> roles() {
        List<Role> roles = new ArrayList<>();
        roles.add(new Role(Role.ROOT, List.of()));
        view().roles().values().stream().filter(role -> !Role.ROOT.equals(role.name())).forEach(roles::add);
        return roles;
    }

    public Optional<Role> role(String name) {
        return Role.ROOT.equals(name) ? Optional.of(new Role(Role.ROOT, List.of())) : Optional.ofNullable(view().roles().get(name));
    }

    /** The user as a caller with its current roles, or empty when no such user exists. */
    public Optional<Caller> caller(String userName, String via) {
        View current = view();
        User user = current.users().get(userName);
        if (user == null) {
            return Optional.empty();
        }
        List<Role> roles = new ArrayList<>();
        for (String roleName : user.roles()) {
            Role role = Role.ROOT.equals(roleName) ? new Role(Role.ROOT, List.of()) : current.roles().get(roleName);
            if (role != null) {
                roles.add(role);
            }
        }
        return Optional.of(new Caller(userName, roles, false, via));
    }

    /**
     * The caller a static client token makes. While users and roles are off the token is all the access
     * control there is, so it may do everything, as before users existed (and so that it can create the
     * root user that turning them on needs); once they are on, it holds {@code roleName}.
     */
    public Caller tokenCaller(String roleName) {
        if (!enabled()) {
            return new Caller(TOKEN_CALLER, List.of(), true, TOKEN_CALLER);
        }
        return new Caller(TOKEN_CALLER, role(roleName).map(List::of).orElse(List.of()), false, TOKEN_CALLER);
    }

    /** A token for {@code user} valid for {@code ttl}; empty when no signing key exists yet. */
    Optional<String> issue(String user, Duration ttl) {
        byte[] key = view().tokenKey();
        if (key == null) {
            return Optional.empty();
        }
        String payload = BASE64.encodeToString(user.getBytes(StandardCharsets.UTF_8)) + "." + (epochSeconds.getAsLong() + ttl.toSeconds());
        return Optional.of(TOKEN_PREFIX + payload + "." + BASE64.encodeToString(sign(key, payload)));
    }

    /** Whether the text looks like a token this cluster issues (rather than a static client token). */
    public static boolean isIssuedToken(String token) {
        return token.startsWith(TOKEN_PREFIX);
    }

    /** The user a valid, unexpired token names, or empty. */
    public Optional<String> verify(String token) {
        byte[] key = view().tokenKey();
        if (key == null || !isIssuedToken(token)) {
            return Optional.empty();
        }
        String rest = token.substring(TOKEN_PREFIX.length());
        int signatureAt = rest.lastIndexOf('.');
        if (signatureAt < 0) {
            return Optional.empty();
        }
        String payload = rest.substring(0, signatureAt);
        byte[] signature;
        try {
            signature = UNBASE64.decode(rest.substring(signatureAt + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(signature, sign(key, payload))) {
            return Optional.empty();
        }
        int dot = payload.indexOf('.');
        try {
            long expires = Long.parseLong(payload.substring(dot + 1));
            if (expires < epochSeconds.getAsLong()) {
                return Optional.empty();
            }
            return Optional.of(new String(UNBASE64.decode(payload.substring(0, dot)), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] sign(byte[] key, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no HmacSHA256", e);
        }
    }

    private View view() {
        View current = view;
        long now = generation.get();
        if (current != null && current.generation() == now) {
            return current;
        }
        Map<String, User> users = new LinkedHashMap<>();
        for (AuthRecord record : store.authRecords(AuthRecords.USER)) {
            User user = AuthRecords.decodeUser(record);
            users.put(user.name(), user);
        }
        Map<String, Role> roles = new LinkedHashMap<>();
        for (AuthRecord record : store.authRecords(AuthRecords.ROLE)) {
            Role role = AuthRecords.decodeRole(record);
            roles.put(role.name(), role);
        }
        AuthRecord key = store.authRecord(AuthRecords.TOKEN_KEY);
        View fresh = new View(now, AuthRecords.flag(store.authRecord(AuthRecords.ENABLED)), Map.copyOf(users), Map.copyOf(roles),
                key == null ? null : key.value());
        view = fresh;
        return fresh;
    }
}
