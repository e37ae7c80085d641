package io.roster.raft.tls;

import io.roster.common.Certificates;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Trusts a peer whose certificate chains to the trusted CA (which a rotation may swap) and, when the
 * operator narrowed it, carries an allowed CN and, for a connecting peer, an allowed host name. A server's
 * host name is checked by the engine against the address dialled.
 */
final class PeerTrustManager extends X509ExtendedTrustManager {

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private final Set<String> allowedCns;
    private final Set<String> allowedHostnames;
    private volatile X509ExtendedTrustManager authorities;

    PeerTrustManager(X509ExtendedTrustManager authorities, List<String> allowedCns, List<String> allowedHostnames) {
        this.authorities = authorities;
        this.allowedCns = Set.copyOf(allowedCns);
        this.allowedHostnames = allowedHostnames.stream().map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    void use(X509ExtendedTrustManager next) {
        this.authorities = next;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        authorities.checkClientTrusted(chain, authType, engine);
        requireAllowedCn(chain[0]);
        requireAllowedHostname(chain[0]);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        authorities.checkServerTrusted(chain, authType, engine);
        requireAllowedCn(chain[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        authorities.checkClientTrusted(chain, authType, socket);
        requireAllowedCn(chain[0]);
        requireAllowedHostname(chain[0]);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        authorities.checkServerTrusted(chain, authType, socket);
        requireAllowedCn(chain[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        authorities.checkClientTrusted(chain, authType);
        requireAllowedCn(chain[0]);
        requireAllowedHostname(chain[0]);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        authorities.checkServerTrusted(chain, authType);
        requireAllowedCn(chain[0]);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return authorities.getAcceptedIssuers();
    }

    private void requireAllowedCn(X509Certificate certificate) throws CertificateException {
        if (allowedCns.isEmpty()) {
            return;
        }
        String cn = Certificates.commonName(certificate);
        if (cn == null || !allowedCns.contains(cn)) {
            throw new CertificateException("peer certificate CN " + (cn == null ? "(none)" : "'" + cn + "'")
                    + " is not in roster.peer.cert-allowed-cn " + allowedCns);
        }
    }

    private void requireAllowedHostname(X509Certificate certificate) throws CertificateException {
        if (allowedHostnames.isEmpty()) {
            return;
        }
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        if (names != null) {
            for (List<?> name : names) {
                int type = (Integer) name.get(0);
                if ((type == SAN_DNS || type == SAN_IP)
                        && allowedHostnames.contains(String.valueOf(name.get(1)).toLowerCase(Locale.ROOT))) {
                    return;
                }
            }
        }
        throw new CertificateException("peer certificate names none of roster.peer.cert-allowed-hostname "
                + allowedHostnames + " in its subject alternative names");
    }
}
