package io.roster.client;

import io.roster.client.internal.Json;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Users, roles and the auth switch of a cluster ({@code /v1/auth}); all of it needs the root role except
 * {@link #authenticate}. From {@link RosterClient#auth()}.
 */
public final class AuthAdmin {

    /** Whether users and roles are enforced, and how many there are. */
    public record Status(boolean enabled, int users, int roles) {
    }

    /** A token for a user, to send as {@code Authorization: Bearer} ({@link RosterClient.Builder#token}). */
    public record Token(String token, String user, long expiresInSeconds) {
    }

    /** @param password whether the user has one (without, it signs in with a client certificate) */
    public record User(String name, List<String> roles, boolean password) {
    }

    /** @param access read, write or readwrite on key prefixes; register or discover on service-name prefixes */
    public record Permission(String access, String prefix) {
    }

    public record Role(String name, List<Permission> permissions) {
    }

    private final Function<Request, JsonNode> call;

    AuthAdmin(Function<Request, JsonNode> call) {
        this.call = call;
    }

    /** A short-lived token for a user's name and password. Not sent twice (each answer is a new token). */
    public Token authenticate(String name, String password) {
        JsonNode answer = call.apply(Request.post("/v1/auth/authenticate", Json.object().put("name", name).put("password", password))
                .notIdempotent());
        return new Token(Wire.text(answer, "token"), Wire.text(answer, "user"), answer.path("expiresInSeconds").asLong());
    }

    public Status status() {
        return status(call.apply(Request.get("/v1/auth/status")));
    }

    /** Refused (409) until a user {@code root} holds role {@code root}. */
    public Status enable() {
        return status(call.apply(Request.post("/v1/auth/enable", null)));
    }

    public Status disable() {
        return status(call.apply(Request.post("/v1/auth/disable", null)));
    }

    public List<User> users() {
        List<User> users = new ArrayList<>();
        call.apply(Request.get("/v1/auth/users")).path("users").forEach(user -> users.add(user(user)));
        return users;
    }

    public User user(String name) {
        return user(call.apply(Request.get("/v1/auth/users/" + Paths.segment(name))));
    }

    /** @param password null or empty for a user that signs in with a client certificate only */
    public User addUser(String name, String password) {
        var body = Json.object().put("name", name);
        if (password != null && !password.isEmpty()) {
            body.put("password", password);
        }
        return user(call.apply(Request.post("/v1/auth/users", body).notIdempotent()));
    }

    public void deleteUser(String name) {
        call.apply(Request.delete("/v1/auth/users/" + Paths.segment(name)).notIdempotent());
    }

    public void changePassword(String name, String password) {
        call.apply(Request.put("/v1/auth/users/" + Paths.segment(name) + "/password", Json.object().put("password", password)));
    }

    public User grantRole(String user, String role) {
        return user(call.apply(Request.put("/v1/auth/users/" + Paths.segment(user) + "/roles/" + Paths.segment(role), null)));
    }

    public User revokeRole(String user, String role) {
        return user(call.apply(Request.delete("/v1/auth/users/" + Paths.segment(user) + "/roles/" + Paths.segment(role)).notIdempotent()));
    }

    public List<Role> roles() {
        List<Role> roles = new ArrayList<>();
        call.apply(Request.get("/v1/auth/roles")).path("roles").forEach(role -> roles.add(role(role)));
        return roles;
    }

    public Role role(String name) {
        return role(call.apply(Request.get("/v1/auth/roles/" + Paths.segment(name))));
    }

    public Role addRole(String name) {
        return role(call.apply(Request.post("/v1/auth/roles", Json.object().put("name", name)).notIdempotent()));
    }

    public void deleteRole(String name) {
        call.apply(Request.delete("/v1/auth/roles/" + Paths.segment(name)).notIdempotent());
    }

    public Role grantPermission(String role, String access, String prefix) {
        return role(call.apply(Request.post("/v1/auth/roles/" + Paths.segment(role) + "/permissions",
                Json.object().put("access", access).put("prefix", prefix == null ? "" : prefix))));
    }

    public Role revokePermission(String role, String access, String prefix) {
        return role(call.apply(Request.delete("/v1/auth/roles/" + Paths.segment(role) + "/permissions"
                + Paths.query().add("access", access).add("prefix", prefix == null ? "" : prefix)).notIdempotent()));
    }

    private static Status status(JsonNode json) {
        return new Status(json.path("enabled").asBoolean(), json.path("users").asInt(), json.path("roles").asInt());
    }

    private static User user(JsonNode json) {
        List<String> roles = new ArrayList<>();
        json.path("roles").forEach(role -> roles.add(role.asString()));
        return new User(Wire.text(json, "name"), List.copyOf(roles), json.path("password").asBoolean());
    }

    private static Role role(JsonNode json) {
        List<Permission> permissions = new ArrayList<>();
        json.path("permissions").forEach(p -> permissions.add(new Permission(Wire.text(p, "access"), p.path("prefix").asString(""))));
        return new Role(Wire.text(json, "name"), List.copyOf(permissions));
    }
}
