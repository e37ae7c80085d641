package io.roster.raft.tls;

import io.roster.testing.TestCertificates;
import io.roster.testing.TestCertificates.Authority;
import org.junit.jupiter.api.Test;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which peer certificates a member accepts once the operator narrowed them with cert-allowed-cn and cert-allowed-hostname. */
class PeerTrustManagerTest {

    private static final String AUTH_TYPE = "ECDHE_ECDSA";

    private final Authority authority = TestCertificates.authority("peer-ca");

    @Test
    void aConnectingMemberMustNameAnAllowedHostInItsSubjectAlternativeNames() {
        PeerTrustManager trust = trusting(List.of(), List.of("n1.peers.example", "10.0.0.7"));

        assertThatCode(() -> trust.checkClientTrusted(chain("n1", "n1.peers.example"), AUTH_TYPE)).doesNotThrowAnyException();
        assertThatCode(() -> trust.checkClientTrusted(chain("n1", "N1.Peers.Example"), AUTH_TYPE))
                .as("host names compare without case").doesNotThrowAnyException();
        assertThatCode(() -> trust.checkClientTrusted(chain("n7", "10.0.0.7"), AUTH_TYPE)).as("an IP address SAN").doesNotThrowAnyException();
        assertThatThrownBy(() -> trust.checkClientTrusted(chain("n1.peers.example", "intruder.example"), AUTH_TYPE))
                .as("a CN is no host name").isInstanceOf(CertificateException.class)
                .hasMessageContaining("roster.peer.cert-allowed-hostname");
        assertThatThrownBy(() -> trust.checkClientTrusted(chain("n1"), AUTH_TYPE))
                .as("no SANs at all").isInstanceOf(CertificateException.class);
    }

    @Test
    void theHostOfAMemberDialledIsLeftToTheHandshakeWhichChecksTheAddressDialled() {
        PeerTrustManager trust = trusting(List.of(), List.of("n1.peers.example"));

        assertThatCode(() -> trust.checkServerTrusted(chain("n2", "n2.peers.example"), AUTH_TYPE)).doesNotThrowAnyException();
    }

    @Test
    void bothEndsMustCarryAnAllowedCommonName() {
        PeerTrustManager trust = trusting(List.of("roster-peer"), List.of());

        assertThatCode(() -> trust.checkClientTrusted(chain("roster-peer", "n1"), AUTH_TYPE)).doesNotThrowAnyException();
        assertThatCode(() -> trust.checkServerTrusted(chain("roster-peer", "n2"), AUTH_TYPE)).doesNotThrowAnyException();
        assertThatThrownBy(() -> trust.checkClientTrusted(chain("roster-client", "n1"), AUTH_TYPE))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("CN 'roster-client' is not in roster.peer.cert-allowed-cn");
        assertThatThrownBy(() -> trust.checkServerTrusted(chain("roster-client", "n2"), AUTH_TYPE))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void anAllowedNameFromAnotherAuthorityIsStillRefused() {
        PeerTrustManager trust = trusting(List.of("roster-peer"), List.of("n1.peers.example"));
        X509Certificate[] foreign = {TestCertificates.authority("other-ca").issue("roster-peer", "n1.peers.example").certificate()};

        assertThatThrownBy(() -> trust.checkClientTrusted(foreign, AUTH_TYPE)).isInstanceOf(CertificateException.class);
    }

    private X509Certificate[] chain(String commonName, String... hosts) {
        return new X509Certificate[] {authority.issue(commonName, hosts).certificate(), authority.certificate()};
    }

    private PeerTrustManager trusting(List<String> allowedCns, List<String> allowedHostnames) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("ca", authority.certificate());
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return new PeerTrustManager((X509ExtendedTrustManager) factory.getTrustManagers()[0], allowedCns, allowedHostnames);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
