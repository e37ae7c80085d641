package io.roster.api.auth;

import io.roster.auth.Caller;
import io.roster.auth.Permission;
import io.roster.auth.Permission.Access;
import io.roster.lease.LeaseIds;
import io.roster.lease.LeaseService;
import io.roster.registry.RegistryKeys;
import org.springframework.web.util.UriUtils;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What each endpoint needs from a caller once users and roles are on: every path of the API is named
 * here, on the raw path {@code RequestShapeFilter} has already found unambiguous; a path not named needs
 * the root role (deny by default).
 */
final class Authorizer {

    /**
     * What a request needs: nothing beyond being a known caller, root, or these permissions, all of them;
     * or, for a watch or list that shows each caller only what it may see, part of one ({@code partial}).
     */
    record Need(boolean root, List<Permission> permissions, boolean exact, boolean partial) {

        static final Need CALLER = new Need(false, List.of(), true, false);
        static final Need ROOT = new Need(true, List.of(), true, false);

        static Need of(Access access, String prefix, boolean exact) {
            return new Need(false, List.of(new Permission(access, prefix)), exact, false);
        }

        /** Some of what {@code prefix} covers: the endpoint leaves out what the caller may not see. */
        static Need partOf(Access access, String prefix) {
            return new Need(false, List.of(new Permission(access, prefix)), false, true);
        }

        /** Null when the caller may; else what it lacks, for the 403 and the audit line. */
        String missing(Caller caller) {
            if (caller.isRoot()) {
                return null;
            }
            if (root) {
                return "the root role";
            }
            for (Permission permission : permissions) {
                if (partial ? !caller.allowsPartOf(permission) : !caller.allows(permission)) {
                    return partial ? permission.describePart() : permission.describe(exact);
                }
            }
            return null;
        }
    }

    private final LeaseService leases;
    private final PublicPaths publicPaths;

    Authorizer(LeaseService leases, PublicPaths publicPaths) {
        this.leases = leases;
        this.publicPaths = publicPaths;
    }

    Need need(String method, String rawPath) {
        if (publicPaths.isPublic(rawPath)) {
            // What anyone may do without credentials, a known caller may do with them: Prometheus scraping
            // with a user's token, a signed-in user signing in again.
            return Need.CALLER;
        }
        String[] parts = rawPath.split("/", -1); // "", "v1", ...
        if (parts.length < 3 || !"v1".equals(parts[1])) {
            // The console's page and files hold no data (they are open to anyone, PublicPaths): a known
            // caller, say one with a client certificate, loads them too.
            boolean console = rawPath.equals("/") || rawPath.equals("/ui") || rawPath.startsWith(PublicPaths.CONSOLE_PATH);
            return console || rawPath.startsWith("/actuator/health") ? Need.CALLER : Need.ROOT;
        }
        String area = parts[2];
        return switch (area) {
            case "kv" -> keys(method, after(rawPath, "/v1/kv/"));
            case "watch" -> watch(rawPath);
            case "services" -> services(method, parts);
            case "leases" -> leases(method, parts);
            case "status" -> "GET".equals(method) && (parts.length == 3 || parts.length == 4 && "members".equals(parts[3]))
                    ? Need.CALLER : Need.ROOT; // this member's status, or every member's
            case "members" -> "GET".equals(method) && parts.length == 3 ? Need.CALLER : Need.ROOT;
            default -> Need.ROOT; // auth management, snapshots, anything new
        };
    }

    private static Need keys(String method, String key) {
        if (key == null) {
            return Need.ROOT;
        }
        // A key permission on prefix p covers key k, and prefix q, exactly when they start with p: the
        // same check either way, so ?prefix= cannot change the answer.
        return Need.of("GET".equals(method) ? Access.READ : Access.WRITE, key, true);
    }

    private static Need watch(String rawPath) {
        // Watches show each caller only the keys and services it may see (the controllers filter them).
        String key = after(rawPath, "/v1/watch/kv/");
        if (key != null) {
            return Need.partOf(Access.READ, key);
        }
        if (rawPath.equals("/v1/watch/services")) {
            return Need.partOf(Access.DISCOVER, "");
        }
        String service = after(rawPath, "/v1/watch/services/");
        return service == null || service.contains("/") ? Need.ROOT : Need.of(Access.DISCOVER, service, true);
    }

    private static Need services(String method, String[] parts) {
        if (parts.length == 3) {
            return "GET".equals(method) ? Need.partOf(Access.DISCOVER, "") : Need.ROOT; // the list shows what the caller may discover
        }
        if (parts.length == 5 && "leases".equals(parts[4]) && "GET".equals(method)) {
            return Need.of(Access.DISCOVER, decode(parts[3]), true); // the time left on its instances' leases
        }
        if (parts.length < 5 || !"instances".equals(parts[4])) {
            return Need.ROOT;
        }
        String service = decode(parts[3]);
        boolean read = "GET".equals(method) && parts.length <= 6;
        return Need.of(read ? Access.DISCOVER : Access.REGISTER, service, true);
    }

    private Need leases(String method, String[] parts) {
        if (parts.length == 3) {
            return "POST".equals(method) ? Need.CALLER : Need.ROOT; // a new lease holds nothing
        }
        long id;
        try {
            id = LeaseIds.parse(parts[3], "id");
        } catch (RuntimeException malformed) {
            return Need.CALLER; // the controller says what is wrong with it
        }
        // A lease's keys and instances decide: keeping it alive or revoking it changes them (a keep-alive is
        // a heartbeat of its instances), and reading it names them.
        if (parts.length == 4 && "GET".equals(method)) {
            return leaseNeeds(id, Access.READ, Access.DISCOVER);
        }
        boolean revoke = parts.length == 4 && "DELETE".equals(method);
        boolean keepAlive = parts.length == 5 && "keepalive".equals(parts[4]) && "PUT".equals(method);
        return revoke || keepAlive ? leaseNeeds(id, Access.WRITE, Access.REGISTER) : Need.ROOT;
    }

    private Need leaseNeeds(long id, Access onKeys, Access onServices) {
        List<Permission> needed = new ArrayList<>();
        for (String key : leases.keysOf(id)) {
            needed.add(key.startsWith(RegistryKeys.PREFIX)
                    ? new Permission(onServices, key.substring(RegistryKeys.PREFIX.length()).split("/", 2)[0])
                    : new Permission(onKeys, key));
        }
        return new Need(false, needed, true, false);
    }

    /** The decoded rest of the path after {@code prefix}, or null when the path does not start with it. */
    private static String after(String rawPath, String prefix) {
        if (rawPath.startsWith(prefix)) {
            return decode(rawPath.substring(prefix.length()));
        }
        return rawPath.equals(prefix.substring(0, prefix.length() - 1)) ? "" : null;
    }

    private static String decode(String raw) {
        return UriUtils.decode(raw, StandardCharsets.UTF_8);
    }
}
