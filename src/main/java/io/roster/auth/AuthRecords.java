package io.roster.auth;

import io.roster.store.AuthRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How users, roles and settings are kept as the store's access-control records: {@code user/<name>} and
 * {@code role/<name>} hold compact JSON, {@code enabled} and {@code token-key} hold bytes.
 */
final class AuthRecords {

    static final String USER = "user/";
    static final String ROLE = "role/";
    static final String ENABLED = "enabled";
    static final String TOKEN_KEY = "token-key";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AuthRecords() {
    }

    static byte[] encode(User user) {
        ObjectNode node = JSON.createObjectNode();
        if (user.hasPassword()) {
            node.put("passwordHash", user.passwordHash());
        }
        ArrayNode roles = node.putArray("roles");
        user.roles().forEach(roles::add);
        return JSON.writeValueAsBytes(node);
    }

    static User decodeUser(AuthRecord record) {
        JsonNode node = JSON.readTree(record.value());
        List<String> roles = new ArrayList<>();
        node.path("roles").forEach(role -> roles.add(role.asString()));
        String hash = node.path("passwordHash").isString() ? node.path("passwordHash").asString() : null;
        return new User(record.name().substring(USER.length()), hash, roles);
    }

    static byte[] encode(Role role) {
        ObjectNode node = JSON.createObjectNode();
        ArrayNode permissions = node.putArray("permissions");
        for (Permission permission : role.permissions()) {
            permissions.addObject().put("access", permission.access().label()).put("prefix", permission.prefix());
        }
        return JSON.writeValueAsBytes(node);
    }

    static Role decodeRole(AuthRecord record) {
        JsonNode node = JSON.readTree(record.value());
        List<Permission> permissions = new ArrayList<>();
        node.path("permissions").forEach(permission -> permissions.add(
                new Permission(Permission.Access.parse(permission.path("access").asString()), permission.path("prefix").asString(""))));
        return new Role(record.name().substring(ROLE.length()), permissions);
    }

    static byte[] flag(boolean value) {
        return Boolean.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    static boolean flag(AuthRecord record) {
        return record != null && "true".equals(new String(record.value(), StandardCharsets.US_ASCII));
    }
}
