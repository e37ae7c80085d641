package io.roster.api;

import io.roster.testing.FreePorts;
import io.roster.testing.RosterHttp;
import io.roster.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A member whose client port requires a client certificate ({@code server.ssl.client-auth=need}): once
 * users and roles are on, a certificate's CN is the user, or else one of its DNS or email names, and it may do what that user's roles grant.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ClientCertificateUserTest {

    private static final String STATIC_TOKEN = "cert-test-static-token-0123456789";
    private static final char[] KEY_PASSWORD = "in-memory".toCharArray();
    private static final TestCertificates.Authority CA = TestCertificates.authority("roster-client-ca");

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void node(DynamicPropertyRegistry registry) {
        TestCertificates.PemFiles server = CA.issue("roster", "127.0.0.1", "localhost").writeTo(dir.resolve("tls"), "server");
        registry.add("roster.data-dir", () -> dir.resolve("data").toString());
        registry.add("roster.initial-cluster", () -> "default=http://127.0.0.1:" + FreePorts.next());
        registry.add("roster.raft.election-timeout", () -> "300ms");
        registry.add("roster.auth.tokens", () -> STATIC_TOKEN);
        registry.add("server.ssl.certificate", server.cert()::toString);
        registry.add("server.ssl.certificate-private-key", server.key()::toString);
        registry.add("server.ssl.trust-certificate", server.ca()::toString);
        registry.add("server.ssl.client-auth", () -> "need");
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void aCertificatesCommonNameIsTheUserOnceUsersAreOn() throws Exception {
        HttpClient operator = clientPresenting(CA.issue("operator"));
        HttpClient alice = clientPresenting(CA.issue("alice"));
        HttpClient mallory = clientPresenting(CA.issue("mallory"));
        // A workload certificate whose identity is its DNS name: the CN names no user, the SAN does.
        HttpClient workload = clientPresenting(CA.issue("web-7f9c", "payments.svc.cluster.local"));
        await().atMost(Duration.ofSeconds(30)).until(() -> send(operator, "GET", "/actuator/health/readiness", null, null).statusCode() == 200);

        // Users off: a certificate alone is no credential; the static token is.
        HttpResponse<String> beforeUsers = send(alice, "GET", "/v1/kv/config/db", null, null);
        assertThat(beforeUsers.statusCode()).as(beforeUsers.body()).isEqualTo(401);
        assertThat(beforeUsers.body()).contains("requires a client token");

        assertThat(send(operator, "PUT", "/v1/kv/config/db", "{\"value\":\"postgres://db\"}", STATIC_TOKEN).statusCode()).isEqualTo(200);
        assertThat(send(operator, "POST", "/v1/auth/users", RosterHttp.json(Map.of("name", "root", "password", "root password")), STATIC_TOKEN)
                .statusCode()).isEqualTo(201);
        assertThat(send(operator, "PUT", "/v1/auth/users/root/roles/root", null, STATIC_TOKEN).statusCode()).isEqualTo(200);
        // A user without a password signs in only with a certificate that names it.
        assertThat(send(operator, "POST", "/v1/auth/users", "{\"name\":\"alice\"}", STATIC_TOKEN).statusCode()).isEqualTo(201);
        assertThat(send(operator, "POST", "/v1/auth/roles", "{\"name\":\"config-reader\"}", STATIC_TOKEN).statusCode()).isEqualTo(201);
        assertThat(send(operator, "POST", "/v1/auth/roles/config-reader/permissions", "{\"access\":\"read\",\"prefix\":\"config/\"}",
                STATIC_TOKEN).statusCode()).isEqualTo(200);
        assertThat(send(operator, "PUT", "/v1/auth/users/alice/roles/config-reader", null, STATIC_TOKEN).statusCode()).isEqualTo(200);
        assertThat(send(operator, "POST", "/v1/auth/users", "{\"name\":\"payments.svc.cluster.local\"}", STATIC_TOKEN).statusCode()).isEqualTo(201);
        assertThat(send(operator, "PUT", "/v1/auth/users/payments.svc.cluster.local/roles/config-reader", null, STATIC_TOKEN)
                .statusCode()).isEqualTo(200);
        assertThat(send(operator, "POST", "/v1/auth/enable", null, STATIC_TOKEN).statusCode()).isEqualTo(200);

        HttpResponse<String> read = send(alice, "GET", "/v1/kv/config/db", null, null);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(RosterHttp.JSON.readTree(read.body()).path("value").asString()).isEqualTo("postgres://db");

        HttpResponse<String> write = send(alice, "PUT", "/v1/kv/config/db", "{\"value\":\"changed\"}", null);
        assertThat(write.statusCode()).as(write.body()).isEqualTo(403);
        JsonNode denied = RosterHttp.JSON.readTree(write.body());
        assertThat(denied.path("detail").asString()).contains("alice").contains("config-reader");
        assertThat(denied.path("missing").asString()).isEqualTo("write on key 'config/db'");

        HttpResponse<String> stranger = send(mallory, "GET", "/v1/kv/config/db", null, null);
        assertThat(stranger.statusCode()).as(stranger.body()).isEqualTo(401);
        assertThat(stranger.body()).contains("no name of the client certificate is a user: 'mallory'")
                .contains("rosterctl user add mallory");

        HttpResponse<String> bySan = send(workload, "GET", "/v1/kv/config/db", null, null);
        assertThat(bySan.statusCode()).as(bySan.body()).isEqualTo(200);
        HttpResponse<String> bySanWrite = send(workload, "PUT", "/v1/kv/config/db", "{\"value\":\"changed\"}", null);
        assertThat(bySanWrite.statusCode()).as(bySanWrite.body()).isEqualTo(403);
        assertThat(bySanWrite.body()).contains("payments.svc.cluster.local");

        // A token in the request wins over the certificate: the operator's root token still acts as root.
        assertThat(send(alice, "PUT", "/v1/kv/config/db", "{\"value\":\"by root\"}", STATIC_TOKEN).statusCode()).isEqualTo(200);
        assertThat(RosterHttp.JSON.readTree(send(alice, "GET", "/v1/kv/config/db", null, null).body()).path("value").asString())
                .as("nothing alice was refused got written").isEqualTo("by root");
    }

    @Test
    void aClientWithoutACertificateOrWithAnotherAuthoritysIsRefusedInTheHandshake() throws Exception {
        HttpClient noCertificate = HttpClient.newBuilder().sslContext(context(null)).connectTimeout(Duration.ofSeconds(10)).build();
        HttpClient otherAuthority = clientPresenting(TestCertificates.authority("someone-else").issue("alice"));

        assertThatThrownBy(() -> send(noCertificate, "GET", "/v1/status", null, STATIC_TOKEN)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> send(otherAuthority, "GET", "/v1/status", null, STATIC_TOKEN)).isInstanceOf(IOException.class);
    }

    private HttpResponse<String> send(HttpClient client, String method, String path, String json, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient clientPresenting(TestCertificates.Issued certificate) throws GeneralSecurityException, IOException {
        return HttpClient.newBuilder().sslContext(context(certificate)).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Trusts this test's authority (the server's issuer) and presents {@code certificate}, if any. */
    private static SSLContext context(TestCertificates.Issued certificate) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", CA.certificate());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (certificate != null) {
            keys.setKeyEntry("client", certificate.key(), KEY_PASSWORD,
                    new Certificate[] {certificate.certificate(), certificate.issuer().certificate()});
        }
        keyManagers.init(keys, KEY_PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }
}
