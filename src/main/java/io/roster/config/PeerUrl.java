package io.roster.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A member's peer (Raft) address: {@code http://host:port}, or {@code https://host:port} for mutual TLS
 * between members; the host may be a DNS name.
 */
public record PeerUrl(String host, int port, boolean tls) {

    public PeerUrl(String host, int port) {
        this(host, port, false);
    }

    public static PeerUrl parse(String text, String what) {
        String candidate = text.strip();
        if (candidate.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            // trim() would quietly cut a URL short at a control character; a URL with one is a mistake.
            throw new InvalidConfigurationException(what + " URL '" + candidate.replaceAll("\\p{Cntrl}", "?")
                    + "' has a space or a control character");
        }
        if (!candidate.contains("://")) {
            candidate = "http://" + candidate;
        }
        URI uri;
        try {
            uri = new URI(candidate);
        } catch (URISyntaxException e) {
            throw new InvalidConfigurationException(what + " has a malformed URL '" + text + "': " + e.getReason());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new InvalidConfigurationException(what + " URL '" + text + "' must start with http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            // java.net.URI falls back to an opaque authority when host:port does not parse (a:notaport).
            String authority = uri.getRawAuthority();
            throw new InvalidConfigurationException(authority == null || authority.isEmpty()
                    ? what + " URL '" + text + "' has no host"
                    : what + " URL '" + text + "' has a malformed host:port '" + authority + "'");
        }
        if (uri.getPort() < 1 || uri.getPort() > 65535) {
            throw new InvalidConfigurationException(what + " URL '" + text + "' needs a port between 1 and 65535");
        }
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !"/".equals(uri.getPath())) {
            throw new InvalidConfigurationException(what + " URL '" + text + "' must not have a path");
        }
        return new PeerUrl(uri.getHost(), uri.getPort(), "https".equals(uri.getScheme()));
    }

    /** The canonical form used in ids and in the member table. */
    public String url() {
        return (tls ? "https://" : "http://") + host + ":" + port;
    }

    @Override
    public String toString() {
        return url();
    }
}
