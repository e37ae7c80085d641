package io.roster.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything an operator sets, mirroring etcd's flags. Each setting is also an environment variable
 * through Spring's relaxed binding: {@code roster.initial-cluster} is {@code ROSTER_INITIAL_CLUSTER}.
 * With nothing set, this is one node named {@code default}, data in {@code ./data}, peer port 2380.
 *
 * @param initialCluster empty means this single member at {@code http://localhost:2380}
 * @param advertiseClientUrl empty means {@code http://localhost:<server.port>}
 * @param listenPeerPort the port this member listens on for peers, on every interface; 0 means the port
 *                       of its own URL in the initial cluster. Differs from it only when peers reach the
 *                       member through a port mapping or a proxy.
 */
@ConfigurationProperties("roster")
public record RosterProperties(
        @DefaultValue("default") String name,
        @DefaultValue("data") Path dataDir,
        @DefaultValue("") String initialCluster,
        @DefaultValue("new") String initialClusterState,
        @DefaultValue("roster-cluster") String initialClusterToken,
        @DefaultValue("") String advertiseClientUrl,
        @DefaultValue("0") int listenPeerPort,
        @DefaultValue Raft raft,
        @DefaultValue Limits limits,
        @DefaultValue Leases leases,
        @DefaultValue Registry registry,
        @DefaultValue Watch watch,
        @DefaultValue Membership membership,
        @DefaultValue Auth auth,
        @DefaultValue Peer peer,
        @DefaultValue("false") boolean forceNewCluster) {

    public static final String DEFAULT_PEER_URL = "http://localhost:2380";

    /** The initial cluster as given, or this member alone on the default peer port. */
    public String effectiveInitialCluster() {
        return initialCluster == null || initialCluster.isBlank() ? name + "=" + DEFAULT_PEER_URL : initialCluster;
    }

    /** Where this member listens for peers, given the peer URL the others know it by. */
    public int effectiveListenPeerPort(PeerUrl advertised) {
        if (listenPeerPort < 0 || listenPeerPort > 65_535) {
            throw new InvalidConfigurationException("roster.listen-peer-port must be a port (1-65535), or 0 for the port of this"
                    + " member's peer URL; it is " + listenPeerPort);
        }
        return listenPeerPort == 0 ? advertised.port() : listenPeerPort;
    }

    /**
     * @param electionTimeout a follower that hears nothing from a leader for this long starts an election
     * @param snapshotInterval take a snapshot at least this often while entries are being applied
     * @param snapshotEntries also take one after this many entries, whichever comes first (etcd's snapshot-count)
     * @param requestTimeout how long a write or linearizable read may wait for the cluster before failing
     * @param laggingThresholdEntries a reachable member further than this behind the leader's log is "lagging"
     */
    public record Raft(
            @DefaultValue("1000ms") Duration electionTimeout,
            @DefaultValue("30m") Duration snapshotInterval,
            @DefaultValue("10000") long snapshotEntries,
            @DefaultValue("5s") Duration requestTimeout,
            @DefaultValue("1000") long laggingThresholdEntries) {
    }

    /**
     * @param maxKeyBytes longest key, in UTF-8 bytes
     * @param maxValueBytes largest value, in UTF-8 bytes (etcd's default request limit)
     * @param maxRequestBody largest HTTP request body accepted
     * @param maxRangeLimit most keys one range read returns
     */
    public record Limits(
            @DefaultValue("4096") int maxKeyBytes,
            @DefaultValue("1572864") int maxValueBytes,
            @DefaultValue("2MB") DataSize maxRequestBody,
            @DefaultValue("10000") int maxRangeLimit) {
    }

    /**
     * @param minTtl shortest lease a client may ask for
     * @param maxTtl longest lease a client may ask for
     * @param checkpointInterval how often the leader records remaining TTLs of leases longer than this
     * @param maxRevocationsPerSecond expired leases revoked per second at most, so a mass expiry cannot flood the log
     */
    public record Leases(
            @DefaultValue("1s") Duration minTtl,
            @DefaultValue("24h") Duration maxTtl,
            @DefaultValue("5m") Duration checkpointInterval,
            @DefaultValue("1000") int maxRevocationsPerSecond) {
    }

    /**
     * @param minTtl shortest instance TTL accepted
     * @param maxTtl longest instance TTL accepted
     * @param defaultTtl the TTL of an instance that registers without one
     * @param maxMetadataEntries most metadata entries per instance
     * @param maxMetadataBytes most metadata bytes (keys and values, UTF-8) per instance
     * @param maxWait longest blocking query ({@code ?wait=}) a client may ask for
     */
    public record Registry(
            @DefaultValue("1s") Duration minTtl,
            @DefaultValue("1h") Duration maxTtl,
            @DefaultValue("30s") Duration defaultTtl,
            @DefaultValue("64") int maxMetadataEntries,
            @DefaultValue("16384") int maxMetadataBytes,
            @DefaultValue("5m") Duration maxWait) {
    }

    /**
     * @param joinWait how long a member starting with {@code existing} and an empty data dir waits for the cluster to answer
     * @param reconcileInterval how often the leader brings Raft's configuration to the member table
     */
    public record Membership(
            @DefaultValue("60s") Duration joinWait,
            @DefaultValue("500ms") Duration reconcileInterval) {
    }

    /**
     * @param historyEvents committed events kept for watchers to resume from; older revisions get 410 Gone
     * @param queueEvents events one watcher may have undelivered before it is ended (it resumes)
     * @param keepAliveInterval how often an idle event stream gets a comment, to keep proxies from closing it
     */
    public record Watch(
            @DefaultValue("100000") int historyEvents,
            @DefaultValue("10000") int queueEvents,
            @DefaultValue("15s") Duration keepAliveInterval) {
    }

    /**
     * Mutual TLS between members, on when the peer URLs in the initial cluster are {@code https://}
     * (etcd's {@code --peer-*} flags). Files are PEM; they are re-read when they change.
     *
     * @param certFile this member's certificate (chain), presented both when it serves and when it connects
     * @param keyFile the certificate's private key: PKCS#8, PKCS#1 RSA or SEC1 EC
     * @param trustedCaFile the certificate authorities a member's certificate must chain to
     * @param clientCertAuth whether a member that connects must present a certificate
     * @param certAllowedCn a member's certificate must have one of these subject CNs; empty allows any
     * @param certAllowedHostname a connecting member's certificate must name one of these hosts in its SANs; empty allows any
     * @param certReloadInterval how often the files are checked for a rotation
     */
    public record Peer(
            @DefaultValue("") String certFile,
            @DefaultValue("") String keyFile,
            @DefaultValue("") String trustedCaFile,
            @DefaultValue("true") boolean clientCertAuth,
            @DefaultValue List<String> certAllowedCn,
            @DefaultValue List<String> certAllowedHostname,
            @DefaultValue("10s") Duration certReloadInterval) {

        /** Whether any file is given: then the peer URLs must be https, or the operator is misled. */
        public boolean anyFileSet() {
            return !certFile.isBlank() || !keyFile.isBlank() || !trustedCaFile.isBlank();
        }

        public PeerTlsSettings tlsSettings() {
            List<String> missing = new java.util.ArrayList<>();
            if (certFile.isBlank()) {
                missing.add("roster.peer.cert-file");
            }
            if (keyFile.isBlank()) {
                missing.add("roster.peer.key-file");
            }
            if (trustedCaFile.isBlank()) {
                missing.add("roster.peer.trusted-ca-file");
            }
            if (!missing.isEmpty()) {
                throw new InvalidConfigurationException("https:// peer URLs mean mutual TLS between members; set "
                        + String.join(", ", missing));
            }
            if (certReloadInterval.isNegative() || certReloadInterval.isZero()) {
                throw new InvalidConfigurationException("roster.peer.cert-reload-interval must be positive; it is " + certReloadInterval);
            }
            return new PeerTlsSettings(Path.of(certFile), Path.of(keyFile), Path.of(trustedCaFile), clientCertAuth,
                    certAllowedCn, certAllowedHostname, certReloadInterval);
        }
    }

    /**
     * @param tokens        the bearer tokens a client may send ({@code Authorization: Bearer <token>}) to use
     *                      this member; empty means no token is needed. More than one during a rotation.
     * @param publicApiDocs whether the OpenAPI document and Swagger UI stay open while tokens are required
     * @param tokenRole     the role a caller with one of {@code tokens} acts with once users and roles are on
     * @param userTokenTtl  how long a token issued for a user's name and password is valid
     * @param publicProbes  whether the health status, liveness and readiness stay open while credentials are required
     * @param publicMetrics whether {@code /actuator/prometheus} stays open while credentials are required
     */
    public record Auth(@DefaultValue List<String> tokens, @DefaultValue("true") boolean publicApiDocs,
                       @DefaultValue("root") String tokenRole, @DefaultValue("5m") Duration userTokenTtl,
                       @DefaultValue("true") boolean publicProbes, @DefaultValue("true") boolean publicMetrics) {
    }
}
