package io.roster.process;

import io.roster.testing.ProcessCluster;
import io.roster.testing.RosterHttp;
import io.roster.testing.RosterProcess;
import io.roster.testing.TestCertificates;
import io.roster.testing.TestCertificates.Authority;
import io.roster.testing.TestCertificates.Issued;
import io.roster.testing.TestCertificates.PemFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three members talking mutual TLS on their peer ports: they form a cluster and serve through any member;
 * whoever reaches a peer port without a certificate the cluster trusts, or without TLS at all, is turned
 * away before a byte of theirs is decoded, and the cluster keeps serving; certificates rotated under load
 * are picked up without a restart and without losing a request.
 */
class PeerTlsIT {

    private static final Duration READY = Duration.ofSeconds(90);
    private static final List<String> MEMBERS = List.of("n1", "n2", "n3");
    /** A bolt request frame's first bytes (protocol code 1, type request): what a member without TLS sends. */
    private static final byte[] PLAIN_BOLT_REQUEST = {1, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    @TempDir
    Path certificates;

    @Test
    void membersFormOverMutualTlsTurnAwayEveryoneElseAndRotateCertificatesUnderLoad(TestInfo test) throws Exception {
        Authority authority = TestCertificates.authority("roster-peer-ca");
        Map<String, PemFiles> files = new LinkedHashMap<>();
        for (String name : MEMBERS) {
            files.put(name, authority.issue(name, "127.0.0.1", "localhost").writeTo(certificates.resolve(name), name));
        }
        try (ProcessCluster cluster = ProcessCluster.builder().members(3).peerScheme("https")
                .env("ROSTER_PEER_CERT_ALLOWED_CN", String.join(",", MEMBERS))
                .env("ROSTER_PEER_CERT_RELOAD_INTERVAL", "1s")
                .memberEnv(name -> Map.of(
                        "ROSTER_PEER_CERT_FILE", files.get(name).cert().toString(),
                        "ROSTER_PEER_KEY_FILE", files.get(name).key().toString(),
                        "ROSTER_PEER_TRUSTED_CA_FILE", files.get(name).ca().toString()))
                .logDir(RosterProcess.logDirFor(getClass(), test.getTestMethod().orElseThrow().getName())).build()) {
            cluster.start().awaitReady(READY);
            assertThat(cluster.initialCluster()).contains("https://");
            for (RosterProcess member : cluster.members()) {
                writeAndReadBack(member, "formed/" + member.name());
            }
            RosterProcess leader = cluster.leader();
            int peerPort = leader.peerPort();

            Issued intruder = authority.issue("intruder", "127.0.0.1");
            Issued untrusted = TestCertificates.authority("someone-else").issue("n1", "127.0.0.1");
            Issued member = authority.issue("n1", "127.0.0.1");
            assertThat(exchange(peerPort, tlsClient(member, authority)))
                    .as("control: a certificate the cluster trusts keeps its connection open").isEqualTo(Outcome.KEPT_OPEN);
            assertThat(exchange(peerPort, tlsClient(null, authority))).as("no client certificate").isEqualTo(Outcome.REFUSED);
            assertThat(exchange(peerPort, tlsClient(untrusted, authority))).as("a certificate from another CA").isEqualTo(Outcome.REFUSED);
            assertThat(exchange(peerPort, tlsClient(intruder, authority))).as("a CN not allowed").isEqualTo(Outcome.REFUSED);
            assertThat(plainExchange(peerPort, PLAIN_BOLT_REQUEST)).as("a bolt request without TLS").isEqualTo(Outcome.REFUSED);
            assertThat(plainExchange(peerPort, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))
                    .as("a plain TCP client").isEqualTo(Outcome.REFUSED);
            for (RosterProcess each : cluster.members()) {
                writeAndReadBack(each, "after-refusals/" + each.name());
            }
            assertThat(Files.readString(leader.logFile())).contains("Peer TLS handshake with");
            refusesAPlainMember(leader);

            rotateUnderLoad(cluster, authority, files);
        }
    }

    private static void refusesAPlainMember(RosterProcess leader) {
        String members = leader.client().get("/v1/members").body();
        RosterHttp.Reply plain = leader.client().post("/v1/members", "{\"name\":\"n9\",\"peerUrls\":[\"http://127.0.0.1:9\"]}");
        assertThat(plain.status()).as(plain.toString()).isEqualTo(400);
        assertThat(plain.body()).contains("members of this cluster talk mutual TLS: use https://");
        assertThat(leader.client().get("/v1/members").body()).as("no member was added").isEqualTo(members);
    }

    private void rotateUnderLoad(ProcessCluster cluster, Authority authority, Map<String, PemFiles> files) throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger sequence = new AtomicInteger();
        List<Thread> writers = new ArrayList<>();
        for (RosterProcess member : cluster.members()) {
            Thread writer = new Thread(() -> {
                while (writing.get()) {
                    String key = "rotation/" + member.name() + "/" + sequence.incrementAndGet();
                    RosterHttp.Reply reply = member.client().kvPut(key, key);
                    if (reply.status() == 200) {
                        acknowledged.add(key);
                    } else {
                        failures.add(key + " via " + member.name() + ": " + reply.status() + " " + reply.body());
                    }
                }
            }, "writer-" + member.name());
            writer.start();
            writers.add(writer);
        }
        await("writes flow before the rotation").atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 30);

        Map<String, BigInteger> rotatedSerials = new LinkedHashMap<>();
        for (String name : MEMBERS) {
            Issued next = authority.issue(name, "127.0.0.1", "localhost");
            next.overwrite(files.get(name));
            rotatedSerials.put(name, next.certificate().getSerialNumber());
        }
        Issued client = authority.issue("n2", "127.0.0.1");
        for (RosterProcess member : cluster.members()) {
            await(member.name() + " serves its rotated certificate").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> servedSerial(member.peerPort(), tlsClient(client, authority)),
                            serial -> rotatedSerials.get(member.name()).equals(serial));
        }
        int atRotation = acknowledged.size();
        await("writes keep flowing after the rotation").atMost(Duration.ofSeconds(30))
                .until(() -> acknowledged.size() >= atRotation + 30);

        // A member restarted now dials and is dialled with the rotated certificates only.
        RosterProcess restarted = cluster.followers().get(0);
        restarted.stop();
        restarted.restart().waitReady(READY);
        writeAndReadBack(restarted, "after-restart/" + restarted.name());

        writing.set(false);
        for (Thread writer : writers) {
            writer.join(Duration.ofSeconds(30).toMillis());
        }
        assertThat(failures).as("writes refused while certificates rotated").isEmpty();
        RosterProcess reader = cluster.leader();
        for (String key : List.copyOf(acknowledged)) {
            RosterHttp.Reply read = reader.client().kvGet(key, null);
            assertThat(read.status()).as("%s: %s", key, read.body()).isEqualTo(200);
        }
    }

    private static void writeAndReadBack(RosterProcess member, String key) {
        RosterHttp.Reply written = member.client().kvPut(key, "v");
        assertThat(written.status()).as("put %s via %s: %s", key, member.name(), written.body()).isEqualTo(200);
        RosterHttp.Reply read = member.client().kvGet(key, null);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.string("value")).isEqualTo("v");
    }

    private enum Outcome { REFUSED, KEPT_OPEN }

    /**
     * Completes (or fails) a handshake, sends a plain bolt request inside it, and waits: a refused peer sees
     * the connection fail or close; an accepted one sees it stay open (bolt waits for a whole frame).
     */
    private static Outcome exchange(int port, SSLContext context) throws IOException {
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            raw.setSoTimeout(3_000);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(raw, "127.0.0.1", port, true)) {
                socket.startHandshake();
                socket.getOutputStream().write(new byte[] {1});
                socket.getOutputStream().flush();
                return awaitClose(socket.getInputStream());
            } catch (IOException refused) {
                // an alert during the handshake, or the connection closed under the write ("Broken pipe")
                return Outcome.REFUSED;
            }
        }
    }

    private static Outcome plainExchange(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(3_000);
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (IOException closed) {
                return Outcome.REFUSED; // closed before the request was all written
            }
            return awaitClose(socket.getInputStream());
        }
    }

    /** Reads until the other side closes; what it sent first (a TLS alert at most) is no answer to a request. */
    private static Outcome awaitClose(InputStream in) {
        try {
            byte[] buffer = new byte[512];
            while (in.read(buffer) >= 0) {
                // an alert record, then the close
            }
            return Outcome.REFUSED;
        } catch (SocketTimeoutException open) {
            return Outcome.KEPT_OPEN;
        } catch (IOException reset) {
            return Outcome.REFUSED;
        }
    }

    private static BigInteger servedSerial(int port, SSLContext context) {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(3_000);
            socket.startHandshake();
            Certificate[] chain = socket.getSession().getPeerCertificates();
            return ((X509Certificate) chain[0]).getSerialNumber();
        } catch (IOException e) {
            return BigInteger.ZERO;
        }
    }

    /** A TLS client trusting {@code authority}, presenting {@code identity} (none when null). */
    private static SSLContext tlsClient(Issued identity, Authority authority) {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            if (identity != null) {
                keyStore.setKeyEntry("me", identity.key(), "x".toCharArray(), new Certificate[] {identity.certificate()});
            }
            keys.init(keyStore, "x".toCharArray());
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            trustStore.setCertificateEntry("ca", authority.certificate());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
