package io.roster.testing;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * Certificate authorities and member certificates made in the test, written as PEM files the way an
 * operator (or cert-manager) hands them to a member. No private key is ever committed.
 */
public final class TestCertificates {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestCertificates() {
    }

    /** A self-signed certificate authority. */
    public static Authority authority(String commonName) {
        KeyPair keys = newKeys();
        try {
            X500Name subject = new X500Name("CN=" + commonName);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(Instant.now().minus(Duration.ofMinutes(5))), Date.from(Instant.now().plus(Duration.ofDays(2))),
                    subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new Authority(sign(builder, keys.getPrivate()), keys);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public record Authority(X509Certificate certificate, KeyPair keys) {

        /**
         * A certificate for both ends of a TLS link (server and client), with this subject CN and these
         * host names or IP addresses as subject alternative names.
         */
        public Issued issue(String commonName, String... hosts) {
            KeyPair leafKeys = newKeys();
            try {
                JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                        Date.from(Instant.now().minus(Duration.ofMinutes(5))), Date.from(Instant.now().plus(Duration.ofDays(1))),
                        new X500Name("CN=" + commonName), leafKeys.getPublic());
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
                List<GeneralName> names = new ArrayList<>();
                for (String host : hosts) {
                    names.add(isAddress(host) ? new GeneralName(GeneralName.iPAddress, host) : new GeneralName(GeneralName.dNSName, host));
                }
                if (!names.isEmpty()) {
                    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
                }
                return new Issued(sign(builder, keys.getPrivate()), leafKeys.getPrivate(), this);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public String pem() {
            return TestCertificates.pem("CERTIFICATE", encoded(certificate));
        }
    }

    public record Issued(X509Certificate certificate, PrivateKey key, Authority issuer) {

        /** Writes {@code <name>.crt}, {@code <name>.key} and the issuer as {@code <name>-ca.crt} into {@code dir}. */
        public PemFiles writeTo(Path dir, String name) {
            PemFiles files = new PemFiles(dir.resolve(name + ".crt"), dir.resolve(name + ".key"), dir.resolve(name + "-ca.crt"));
            return overwrite(files);
        }

        /** Replaces the contents of existing files, as a rotation does; the key first, then the certificate. */
        public PemFiles overwrite(PemFiles files) {
            try {
                Files.createDirectories(files.cert().getParent());
                Files.writeString(files.ca(), issuer.pem());
                Files.writeString(files.key(), TestCertificates.pem("PRIVATE KEY", key.getEncoded()));
                Files.writeString(files.cert(), TestCertificates.pem("CERTIFICATE", encoded(certificate)));
                return files;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The three files a member's peer TLS settings name. */
    public record PemFiles(Path cert, Path key, Path ca) {
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey issuerKey) {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign a test certificate: " + e.getMessage(), e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }

    private static boolean isAddress(String host) {
        return host.chars().allMatch(c -> Character.isDigit(c) || c == '.') || host.contains(":");
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
