package io.roster.raft.tls;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.roster.config.PeerTlsSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStore;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mutual TLS on the peer port, read from PEM files and re-read when they change. Hands bolt a TLS handler
 * for the front of every peer connection it opens or accepts: nothing reaches bolt's decoder before the
 * handshake, with its certificate checks, has succeeded.
 */
public final class PeerTls implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PeerTls.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final long REFUSAL_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final PeerTlsSettings settings;
    private final SwitchingKeyManager keyManager;
    private final PeerTrustManager trustManager;
    private final SSLContext context;
    private final ScheduledExecutorService reloader;
    private final AtomicLong lastRefusalLog = new AtomicLong(System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS);
    private volatile byte[] loadedDigest;
    private volatile byte[] refusedDigest;

    private PeerTls(PeerTlsSettings settings, Material initial) throws GeneralSecurityException {
        this.settings = settings;
        this.keyManager = new SwitchingKeyManager(initial.keys());
        this.trustManager = new PeerTrustManager(initial.authorities(), settings.allowedCns(), settings.allowedHostnames());
        this.context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {keyManager}, new TrustManager[] {trustManager}, null);
        this.loadedDigest = initial.digest();
        this.reloader = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "roster-peer-tls-reload");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(1, settings.reloadInterval().toMillis());
        reloader.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Reads the certificate, key and CAs and starts watching them.
     *
     * @throws IllegalArgumentException naming the setting and file that cannot be used, and why
     */
    public static PeerTls start(PeerTlsSettings settings) {
        Material material = Material.read(settings);
        log.info("Peer TLS on: {}", material.describe());
        try {
            return new PeerTls(settings, material);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Handlers for the front of an accepted peer connection: the TLS server side, and a log of refusals. */
    public List<ChannelHandler> serverHandlers() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setEnabledProtocols(PROTOCOLS);
        engine.setNeedClientAuth(settings.clientCertAuth());
        return List.of(new SslHandler(engine), new RefusalLog());
    }

    /**
     * Handlers for the front of a peer connection this member opens. The TLS client side is made when the
     * connection is, because it checks the other member's certificate against the address dialled.
     */
    public List<ChannelHandler> clientHandlers() {
        return List.of(new TlsOnConnect(), new RefusalLog());
    }

    /** Re-reads the files if they changed; keeps what it has if the new ones cannot be used. */
    public boolean reloadIfChanged() {
        byte[] digest;
        try {
            digest = Material.digest(settings);
        } catch (IllegalArgumentException unreadable) {
            logRefusedOnce(null, unreadable.getMessage());
            return false;
        }
        if (Arrays.equals(digest, loadedDigest) || Arrays.equals(digest, refusedDigest)) {
            return false;
        }
        Material material;
        try {
            material = Material.read(settings);
        } catch (IllegalArgumentException e) {
            // Files are often replaced one at a time: the key may not match the certificate yet.
            logRefusedOnce(digest, e.getMessage());
            return false;
        }
        keyManager.use(material.keys());
        trustManager.use(material.authorities());
        loadedDigest = material.digest();
        refusedDigest = null;
        log.info("Peer TLS files changed; new connections use {}", material.describe());
        return true;
    }

    private void logRefusedOnce(byte[] digest, String why) {
        if (digest == null || !Arrays.equals(digest, refusedDigest)) {
            refusedDigest = digest;
            log.warn("Peer TLS files changed but cannot be used yet, keeping the previous ones: {}", why);
        }
    }

    @Override
    public void close() {
        reloader.shutdownNow();
    }

    /** Replaces itself, as the connection is made, with a TLS client that knows the host it dialled. */
    private final class TlsOnConnect extends ChannelOutboundHandlerAdapter {
        @Override
        public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local, ChannelPromise promise) {
            InetSocketAddress address = (InetSocketAddress) remote;
            SSLEngine engine = context.createSSLEngine(address.getHostString(), address.getPort());
            engine.setUseClientMode(true);
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setProtocols(PROTOCOLS);
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
            ctx.pipeline().replace(this, "peerTls", new SslHandler(engine));
            ctx.connect(remote, local, promise);
        }
    }

    /** Says, at most once a second, why a peer connection was refused: the operator's first question. */
    private final class RefusalLog extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof SslHandshakeCompletionEvent completion && !completion.isSuccess()) {
                long now = System.nanoTime();
                long last = lastRefusalLog.get();
                if (now - last >= REFUSAL_LOG_INTERVAL_NANOS && lastRefusalLog.compareAndSet(last, now)) {
                    log.warn("Peer TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), rootMessage(completion.cause()));
                }
            }
            super.userEventTriggered(ctx, event);
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    /** One reading of the three files: the key managers and trust managers made from them. */
    private record Material(X509ExtendedKeyManager keys, X509ExtendedTrustManager authorities, X509Certificate leaf,
                            byte[] digest) {

        static Material read(PeerTlsSettings settings) {
            String certificates = readPem(settings.certFile(), "roster.peer.cert-file");
            String key = readPem(settings.keyFile(), "roster.peer.key-file");
            String authorities = readPem(settings.trustedCaFile(), "roster.peer.trusted-ca-file");
            List<X509Certificate> chain;
            PrivateKey privateKey;
            List<X509Certificate> trusted;
            try {
                PemSslStore identity = PemSslStore.load(PemSslStoreDetails.forCertificates(certificates).withPrivateKey(key));
                chain = identity == null ? List.of() : identity.certificates();
                privateKey = identity == null ? null : identity.privateKey();
                PemSslStore authorityStore = PemSslStore.load(PemSslStoreDetails.forCertificates(authorities));
                trusted = authorityStore == null ? List.of() : authorityStore.certificates();
            } catch (RuntimeException e) {
                String why = rootMessage(e);
                throw new IllegalArgumentException("cannot read the peer TLS files (" + settings.certFile() + ", "
                        + settings.keyFile() + ", " + settings.trustedCaFile() + ")"
                        + (why.contains("-----") ? "" : ": " + why), e); // never echo key material
            }
            if (chain.isEmpty() || privateKey == null) {
                throw new IllegalArgumentException("roster.peer.cert-file " + settings.certFile() + " and roster.peer.key-file "
                        + settings.keyFile() + " must hold a certificate and its private key in PEM");
            }
            if (trusted.isEmpty()) {
                throw new IllegalArgumentException("roster.peer.trusted-ca-file " + settings.trustedCaFile() + " holds no certificate");
            }
            X509Certificate leaf = chain.get(0);
            requireMatchingKey(leaf, privateKey, settings);
            SslBundle bundle = SslBundle.of(new PemSslStoreBundle(PemSslStore.of(chain, privateKey), PemSslStore.of(trusted, null)));
            X509ExtendedKeyManager keys = only(X509ExtendedKeyManager.class, bundle.getManagers().getKeyManagers());
            X509ExtendedTrustManager trust = only(X509ExtendedTrustManager.class, bundle.getManagers().getTrustManagers());
            return new Material(keys, trust, leaf, digest(certificates, key, authorities));
        }

        static byte[] digest(PeerTlsSettings settings) {
            return digest(readPem(settings.certFile(), "roster.peer.cert-file"), readPem(settings.keyFile(), "roster.peer.key-file"),
                    readPem(settings.trustedCaFile(), "roster.peer.trusted-ca-file"));
        }

        private static byte[] digest(String... contents) {
            try {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                for (String content : contents) {
                    sha256.update(content.getBytes(StandardCharsets.US_ASCII));
                    sha256.update((byte) 0);
                }
                return sha256.digest();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        String describe() {
            return "certificate " + leaf.getSubjectX500Principal().getName() + " (serial " + leaf.getSerialNumber().toString(16)
                    + ", valid until " + leaf.getNotAfter().toInstant() + ")";
        }

        private static String readPem(Path file, String setting) {
            String content;
            try {
                content = Files.readString(file, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IllegalArgumentException(setting + " " + file + " cannot be read: " + e, e);
            }
            if (!content.contains("-----BEGIN ")) {
                // Spring's PEM loader would take text without a PEM block for a file name and echo it.
                throw new IllegalArgumentException(setting + " " + file + " holds no PEM block (-----BEGIN ...)");
            }
            return content;
        }

        /** A certificate swapped in before its key would fail every handshake; refuse the pair instead. */
        private static void requireMatchingKey(X509Certificate certificate, PrivateKey key, PeerTlsSettings settings) {
            byte[] probe = "roster peer tls key check".getBytes(StandardCharsets.US_ASCII);
            try {
                String algorithm = switch (key.getAlgorithm()) {
                    case "RSA" -> "SHA256withRSA";
                    case "EC" -> "SHA256withECDSA";
                    case "DSA" -> "SHA256withDSA";
                    default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA sign without a separate digest
                };
                Signature signer = Signature.getInstance(algorithm);
                signer.initSign(key);
                signer.update(probe);
                byte[] signature = signer.sign();
                Signature verifier = Signature.getInstance(algorithm);
                verifier.initVerify(certificate.getPublicKey());
                verifier.update(probe);
                if (verifier.verify(signature)) {
                    return;
                }
            } catch (GeneralSecurityException e) {
                // a key of another type than the certificate's: no match
            }
            throw new IllegalArgumentException("roster.peer.key-file " + settings.keyFile() + " is not the private key of the"
                    + " certificate in roster.peer.cert-file " + settings.certFile());
        }

        private static <T> T only(Class<T> type, Object[] managers) {
            for (Object manager : managers) {
                if (type.isInstance(manager)) {
                    return type.cast(manager);
                }
            }
            throw new IllegalStateException("this JVM offers no " + type.getSimpleName());
        }
    }
}
