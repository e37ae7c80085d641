package io.roster.api;

import io.roster.testing.RealNodeTest;
import io.roster.testing.RosterHttp;
import io.roster.testing.RosterHttp.Reply;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deployment that gives its services a static client token can narrow that token to a role
 * ({@code roster.auth.token-role}) once users and roles are on: the token then does what the role grants and
 * nothing else, while it keeps full access until then, so turning users on breaks nothing by surprise.
 */
@TestPropertySource(properties = {"roster.auth.tokens=" + StaticTokenRoleTest.SERVICE_TOKEN, "roster.auth.token-role=services"})
class StaticTokenRoleTest extends RealNodeTest {

    static final String SERVICE_TOKEN = "service-fleet-token-0123456789";

    @Test
    void aStaticTokenActsWithItsConfiguredRoleOnceUsersAndRolesAreOn() {
        RosterHttp fleet = http.withToken(SERVICE_TOKEN);
        String instance = "{\"host\":\"10.0.0.1\",\"port\":8080}";
        assertThat(fleet.kvPut("config/before", "v").status()).as("before users are on, a token may do everything").isEqualTo(200);

        assertThat(fleet.post("/v1/auth/users", RosterHttp.json(Map.of("name", "root", "password", "root password"))).status()).isEqualTo(201);
        assertThat(fleet.put("/v1/auth/users/root/roles/root", null).status()).isEqualTo(200);
        assertThat(fleet.post("/v1/auth/roles", RosterHttp.json(Map.of("name", "services"))).status()).isEqualTo(201);
        for (String access : new String[] {"register", "discover"}) {
            Reply granted = fleet.post("/v1/auth/roles/services/permissions", RosterHttp.json(Map.of("access", access, "prefix", "pay")));
            assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
        }
        assertThat(fleet.post("/v1/auth/enable", null).status()).isEqualTo(200);

        assertThat(fleet.put("/v1/services/payments/instances/p1", instance).status()).isEqualTo(201);
        assertThat(fleet.put("/v1/services/payments/instances/p1/heartbeat", null).status()).isEqualTo(200);
        assertThat(fleet.get("/v1/services/payments/instances").status()).isEqualTo(200);

        Reply otherService = fleet.put("/v1/services/orders/instances/o1", instance);
        assertThat(otherService.status()).as(otherService.toString()).isEqualTo(403);
        assertThat(otherService.json().path("missing").asString()).isEqualTo("register on service 'orders'");
        assertThat(otherService.json().path("detail").asString()).contains("client token (roles: services)");
        Reply key = fleet.kvPut("config/after", "v");
        assertThat(key.status()).as(key.toString()).isEqualTo(403);
        assertThat(fleet.post("/v1/auth/disable", null).status()).as("only root manages auth now").isEqualTo(403);

        String rootToken = http.post("/v1/auth/authenticate", RosterHttp.json(Map.of("name", "root", "password", "root password")))
                .string("token");
        RosterHttp root = http.withToken(rootToken);
        assertThat(root.kvGet("config/after", null).status()).as("the refused write wrote nothing").isEqualTo(404);
        assertThat(root.get("/v1/services/orders/instances/o1").status()).isEqualTo(404);
        assertThat(root.post("/v1/auth/disable", null).status()).isEqualTo(200);
    }
}
