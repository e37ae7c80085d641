package io.roster.cli;

import io.roster.client.AuthAdmin;
import io.roster.client.internal.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.function.Function;

/**
 * {@code rosterctl user ...}, {@code rosterctl role ...} and {@code rosterctl auth enable|disable|status}:
 * etcdctl's auth commands, with registry permissions. All but {@code auth status} need the root role.
 */
final class AuthCommands {

    private AuthCommands() {
    }

    @Command(name = "user", description = "Users: a password, or a client certificate whose CN is the name, and roles.",
            subcommands = {UserAdd.class, UserDelete.class, UserPasswd.class, UserGrantRole.class, UserRevokeRole.class,
                    UserList.class, UserGet.class})
    static final class Users {
    }

    @Command(name = "role", description = {"Roles: read, write or readwrite on key prefixes; register or discover on",
            "service-name prefixes. Role root may do everything."},
            subcommands = {RoleAdd.class, RoleDelete.class, RoleGrant.class, RoleRevoke.class, RoleList.class, RoleGet.class})
    static final class Roles {
    }

    @Command(name = "auth", description = "Turn users and roles on or off, or see whether they are on.",
            subcommands = {AuthEnable.class, AuthDisable.class, AuthStatus.class})
    static final class Switch {
    }

    // ---- users ----

    @Command(name = "add", description = {"Adds a user. NAME:PASSWORD, or NAME with env ROSTERCTL_NEW_PASSWORD,",
            "or NAME --no-password for a user that signs in with a client certificate."})
    static final class UserAdd extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "NAME[:PASSWORD]")
        String user;

        @Option(names = "--no-password", description = "The user signs in with a client certificate whose CN is its name.")
        boolean noPassword;

        @Override
        public Integer call() {
            Credentials credentials = Credentials.parse(user, root().newPasswordFromEnvironment);
            if (!noPassword && !credentials.hasPassword()) {
                throw usage("give NAME:PASSWORD, NAME with env ROSTERCTL_NEW_PASSWORD, or NAME --no-password");
            }
            String name = credentials.name();
            return printUser(this, client().auth().addUser(name, noPassword ? null : credentials.password()), "User " + name + " added");
        }
    }

    @Command(name = "delete", description = "Deletes a user; its tokens stop working at once.")
    static final class UserDelete extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            client().auth().deleteUser(name);
            return done(this, "User " + name + " deleted");
        }
    }

    @Command(name = "passwd", description = "Changes a user's password: NAME:PASSWORD, or NAME with env ROSTERCTL_NEW_PASSWORD.")
    static final class UserPasswd extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "NAME[:PASSWORD]")
        String user;

        @Override
        public Integer call() {
            Credentials credentials = Credentials.parse(user, root().newPasswordFromEnvironment);
            if (!credentials.hasPassword()) {
                throw usage("give NAME:PASSWORD, or NAME with env ROSTERCTL_NEW_PASSWORD");
            }
            client().auth().changePassword(credentials.name(), credentials.password());
            return done(this, "Password of " + credentials.name() + " changed");
        }
    }

    @Command(name = "grant-role", description = "Grants a user a role.")
    static final class UserGrantRole extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "ROLE")
        String role;

        @Override
        public Integer call() {
            return printUser(this, client().auth().grantRole(name, role), "Role " + role + " granted to user " + name);
        }
    }

    @Command(name = "revoke-role", description = "Revokes a role from a user.")
    static final class UserRevokeRole extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "ROLE")
        String role;

        @Override
        public Integer call() {
            return printUser(this, client().auth().revokeRole(name, role), "Role " + role + " revoked from user " + name);
        }
    }

    @Command(name = "list", description = "Lists the users.")
    static final class UserList extends RosterctlCommand {
        @Override
        public Integer call() {
            List<AuthAdmin.User> users = client().auth().users();
            Printer out = printer();
            if (out.json()) {
                ObjectNode json = Json.object();
                ArrayNode array = json.putArray("users");
                users.forEach(user -> array.add(userJson(user)));
                out.json(json);
            } else if (out.table()) {
                Table table = new Table("NAME", "ROLES", "SIGNS IN WITH");
                users.forEach(user -> table.row(user.name(), String.join(",", user.roles()), signsInWith(user)));
                out.table(table);
            } else {
                users.forEach(user -> out.line(user.name()));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", description = "Shows a user's roles.")
    static final class UserGet extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            AuthAdmin.User user = client().auth().user(name);
            return printUser(this, user, "User: " + user.name() + "\nRoles: " + String.join(" ", user.roles()));
        }
    }

    // ---- roles ----

    @Command(name = "add", description = "Adds a role with no permission.")
    static final class RoleAdd extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            return printRole(this, client().auth().addRole(name), "Role " + name + " added");
        }
    }

    @Command(name = "delete", description = "Deletes a role.")
    static final class RoleDelete extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            client().auth().deleteRole(name);
            return done(this, "Role " + name + " deleted");
        }
    }

    @Command(name = "grant-permission", description = {"Grants a role ACCESS on PREFIX: read, write or readwrite on keys",
            "starting with it; register or discover on services whose names start with it. An empty PREFIX is everything."})
    static final class RoleGrant extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "ROLE")
        String role;

        @Parameters(index = "1", paramLabel = "ACCESS")
        String access;

        @Parameters(index = "2", paramLabel = "PREFIX", defaultValue = "")
        String prefix;

        @Override
        public Integer call() {
            return printRole(this, client().auth().grantPermission(role, access, prefix),
                    "Role " + role + " may " + access + " '" + prefix + "'");
        }
    }

    @Command(name = "revoke-permission", description = "Revokes a permission a role holds.")
    static final class RoleRevoke extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "ROLE")
        String role;

        @Parameters(index = "1", paramLabel = "ACCESS")
        String access;

        @Parameters(index = "2", paramLabel = "PREFIX", defaultValue = "")
        String prefix;

        @Override
        public Integer call() {
            return printRole(this, client().auth().revokePermission(role, access, prefix),
                    "Permission " + access + " '" + prefix + "' revoked from role " + role);
        }
    }

    @Command(name = "list", description = "Lists the roles.")
    static final class RoleList extends RosterctlCommand {
        @Override
        public Integer call() {
            List<AuthAdmin.Role> roles = client().auth().roles();
            Printer out = printer();
            if (out.json()) {
                ObjectNode json = Json.object();
                ArrayNode array = json.putArray("roles");
                roles.forEach(role -> array.add(roleJson(role)));
                out.json(json);
            } else if (out.table()) {
                Table table = new Table("ROLE", "ACCESS", "PREFIX");
                for (AuthAdmin.Role role : roles) {
                    if (role.permissions().isEmpty()) {
                        table.row(role.name(), "root".equals(role.name()) ? "everything" : "-", "");
                    }
                    role.permissions().forEach(p -> table.row(role.name(), p.access(), p.prefix()));
                }
                out.table(table);
            } else {
                roles.forEach(role -> out.line(role.name()));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", description = "Shows a role's permissions.")
    static final class RoleGet extends RosterctlCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            AuthAdmin.Role role = client().auth().role(name);
            StringBuilder text = new StringBuilder("Role: " + role.name());
            role.permissions().forEach(p -> text.append("\n").append(p.access()).append(" '").append(p.prefix()).append("'"));
            return printRole(this, role, text.toString());
        }
    }

    // ---- the switch ----

    @Command(name = "enable", description = "Enforces users and roles; refused until user root holds role root.")
    static final class AuthEnable extends RosterctlCommand {
        @Override
        public Integer call() {
            return printStatus(this, client().auth().enable(), "Authentication Enabled");
        }
    }

    @Command(name = "disable", description = "Stops enforcing users and roles; they stay for the next enable.")
    static final class AuthDisable extends RosterctlCommand {
        @Override
        public Integer call() {
            return printStatus(this, client().auth().disable(), "Authentication Disabled");
        }
    }

    @Command(name = "status", description = "Whether users and roles are enforced.")
    static final class AuthStatus extends RosterctlCommand {
        @Override
        public Integer call() {
            AuthAdmin.Status status = client().auth().status();
            return printStatus(this, status, "Authentication Status: " + status.enabled());
        }
    }

    // ---- printing ----

    private static int done(RosterctlCommand command, String text) {
        Printer out = command.printer();
        if (out.json()) {
            out.json(Json.object().put("done", true));
        } else {
            out.line(text);
        }
        return ExitCodes.OK;
    }

    private static int printUser(RosterctlCommand command, AuthAdmin.User user, String text) {
        return print(command, userJson(user), text, json -> new Table("NAME", "ROLES", "SIGNS IN WITH")
                .row(user.name(), String.join(",", user.roles()), signsInWith(user)));
    }

    private static int printRole(RosterctlCommand command, AuthAdmin.Role role, String text) {
        return print(command, roleJson(role), text, json -> {
            Table table = new Table("ROLE", "ACCESS", "PREFIX");
            role.permissions().forEach(p -> table.row(role.name(), p.access(), p.prefix()));
            return table;
        });
    }

    private static int printStatus(RosterctlCommand command, AuthAdmin.Status status, String text) {
        ObjectNode json = Json.object().put("enabled", status.enabled()).put("users", status.users()).put("roles", status.roles());
        return print(command, json, text, ignored -> new Table("ENABLED", "USERS", "ROLES")
                .row(status.enabled(), status.users(), status.roles()));
    }

    private static int print(RosterctlCommand command, ObjectNode json, String text, Function<ObjectNode, Table> table) {
        Printer out = command.printer();
        if (out.json()) {
            out.json(json);
        } else if (out.table()) {
            out.table(table.apply(json));
        } else {
            out.line(text);
        }
        return ExitCodes.OK;
    }

    private static ObjectNode userJson(AuthAdmin.User user) {
        ObjectNode json = Json.object().put("name", user.name());
        ArrayNode roles = json.putArray("roles");
        user.roles().forEach(roles::add);
        return json.put("password", user.password());
    }

    private static ObjectNode roleJson(AuthAdmin.Role role) {
        ObjectNode json = Json.object().put("name", role.name());
        ArrayNode permissions = json.putArray("permissions");
        role.permissions().forEach(p -> permissions.addObject().put("access", p.access()).put("prefix", p.prefix()));
        return json;
    }

    private static String signsInWith(AuthAdmin.User user) {
        return user.password() ? "password" : "client certificate";
    }
}
