package io.roster.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Mutual TLS between members, from PEM files (etcd's {@code --peer-*} flags).
 *
 * @param certFile this member's certificate chain, leaf first; it serves as both server and client certificate
 * @param keyFile the certificate's private key (PKCS#8, PKCS#1 RSA or SEC1 EC)
 * @param trustedCaFile the certificate authorities a peer's certificate must chain to
 * @param clientCertAuth whether a member that connects must present a certificate (etcd's peer-client-cert-auth)
 * @param allowedCns a peer certificate's subject CN must be one of these; empty allows any
 * @param allowedHostnames a connecting peer's certificate must name one of these in its SANs; empty allows any
 * @param reloadInterval how often the files are checked for a rotation
 */
public record PeerTlsSettings(Path certFile, Path keyFile, Path trustedCaFile, boolean clientCertAuth,
                              List<String> allowedCns, List<String> allowedHostnames, Duration reloadInterval) {

    public PeerTlsSettings {
        allowedCns = List.copyOf(allowedCns);
        allowedHostnames = List.copyOf(allowedHostnames);
    }
}
