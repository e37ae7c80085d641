package io.roster.raft.tls;

import io.roster.config.PeerTlsSettings;
import io.roster.testing.TestCertificates;
import io.roster.testing.TestCertificates.Authority;
import io.roster.testing.TestCertificates.Issued;
import io.roster.testing.TestCertificates.PemFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a member does with the PEM files it is given: at start, and when they change under it. */
class PeerTlsTest {

    @TempDir
    Path dir;

    private final Authority authority = TestCertificates.authority("test-ca");

    @Test
    void aKeyThatIsNotTheCertificatesIsRefusedAtStartNamingTheFiles() throws Exception {
        PemFiles files = authority.issue("n1", "127.0.0.1").writeTo(dir, "n1");
        Files.copy(authority.issue("n1", "127.0.0.1").writeTo(dir, "other").key(), files.key(),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> PeerTls.start(settings(files)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("roster.peer.key-file " + files.key())
                .hasMessageContaining("is not the private key of the certificate");
    }

    @Test
    void missingAndNonPemFilesAreRefusedAtStart() throws Exception {
        PemFiles files = authority.issue("n1").writeTo(dir, "n1");
        PemFiles missingCa = new PemFiles(files.cert(), files.key(), dir.resolve("absent-ca.crt"));
        Files.writeString(dir.resolve("garbage.crt"), "not a certificate");
        PemFiles garbage = new PemFiles(dir.resolve("garbage.crt"), files.key(), files.ca());

        assertThatThrownBy(() -> PeerTls.start(settings(missingCa))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("roster.peer.trusted-ca-file " + missingCa.ca() + " cannot be read");
        assertThatThrownBy(() -> PeerTls.start(settings(garbage))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(garbage.cert().toString());
    }

    @Test
    void aRotationIsTakenOnlyOnceCertificateAndKeyBelongTogether() throws Exception {
        PemFiles files = authority.issue("n1", "127.0.0.1").writeTo(dir, "n1");
        try (PeerTls tls = PeerTls.start(settings(files))) {
            assertThat(tls.reloadIfChanged()).as("nothing changed").isFalse();

            Issued next = authority.issue("n1", "127.0.0.1");
            Files.writeString(files.cert(), Files.readString(next.writeTo(dir.resolve("next"), "n1").cert()));
            assertThat(tls.reloadIfChanged()).as("the new certificate with the old key").isFalse();

            Files.copy(dir.resolve("next").resolve("n1.key"), files.key(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThat(tls.reloadIfChanged()).as("the new pair").isTrue();
            assertThat(tls.reloadIfChanged()).as("and only once").isFalse();
        }
    }

    private static PeerTlsSettings settings(PemFiles files) {
        return new PeerTlsSettings(files.cert(), files.key(), files.ca(), true, List.of(), List.of(), Duration.ofHours(1));
    }
}
