package io.roster.cli;

import io.roster.testing.RealNodeTest;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** rosterctl's user, role and auth commands, and --user, as an operator scripts them against a real node. */
class RosterctlAuthTest extends RealNodeTest {

    @Test
    void anOperatorSetsUpUsersAndRolesTurnsThemOnAndEachUserCanDoWhatItsRoleGrants() {
        ok("user", "add", "root:root-password-1");
        ok("user", "grant-role", "root", "root");
        ok("role", "add", "reader");
        ok("role", "grant-permission", "reader", "read", "config/");
        Run added = run(Map.of("ROSTERCTL_NEW_PASSWORD", "alice-password-1"), "user", "add", "alice");
        assertThat(added.exitCode()).as(added.toString()).isZero();
        ok("user", "grant-role", "alice", "reader");
        ok("user", "add", "gateway", "--no-password");
        assertThat(ok("-w", "table", "role", "list").out()).contains("reader", "read", "config/", "root", "everything");
        assertThat(ok("-w", "json", "user", "get", "alice").out()).contains("\"roles\":[\"reader\"]", "\"password\":true");
        assertThat(ok("-w", "table", "user", "list").out()).contains("gateway", "client certificate");

        ok("put", "config/app", "v1");
        assertThat(ok("auth", "enable").out()).contains("Authentication Enabled");

        Run anonymous = run(Map.of(), "get", "config/app");
        assertThat(anonymous.exitCode()).as(anonymous.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(anonymous.err()).contains("requires credentials");

        assertThat(ok("--user", "alice:alice-password-1", "get", "config/app", "--print-value-only").out().trim()).isEqualTo("v1");
        Run denied = run(Map.of(), "--user", "alice:alice-password-1", "put", "config/app", "v2");
        assertThat(denied.exitCode()).as(denied.toString()).isNotZero();
        assertThat(denied.err()).contains("alice", "lacks write on key 'config/app'");
        Run wrongPassword = run(Map.of(), "--user", "alice:not-her-password", "get", "config/app");
        assertThat(wrongPassword.exitCode()).as(wrongPassword.toString()).isNotZero();
        assertThat(wrongPassword.err()).contains("name or password is wrong");
        Run fromEnvironment = run(Map.of("ROSTERCTL_PASSWORD", "root-password-1"), "--user", "root", "put", "config/app", "v2");
        assertThat(fromEnvironment.exitCode()).as(fromEnvironment.toString()).isZero();

        Run notRoot = run(Map.of(), "--user", "alice:alice-password-1", "user", "list");
        assertThat(notRoot.err()).contains("lacks the root role");
        assertThat(run(Map.of(), "--user", "root:root-password-1", "auth", "status").out()).contains("Authentication Status: true");
        ok("--user", "root:root-password-1", "role", "revoke-permission", "reader", "read", "config/");
        Run revoked = run(Map.of(), "--user", "alice:alice-password-1", "get", "config/app");
        assertThat(revoked.err()).contains("lacks read on key 'config/app'");
        assertThat(ok("--user", "root:root-password-1", "auth", "disable").out()).contains("Authentication Disabled");
        assertThat(ok("get", "config/app", "--print-value-only").out().trim()).isEqualTo("v2");
    }

    private record Run(int exitCode, String out, String err) {
    }

    private Run ok(String... args) {
        Run run = run(Map.of(), args);
        assertThat(run.exitCode()).as("rosterctl %s: %s", String.join(" ", args), run).isZero();
        return run;
    }

    private Run run(Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of("--endpoints", "http://127.0.0.1:" + port));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Rosterctl.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new Run(exitCode, out.toString(), err.toString());
    }
}
