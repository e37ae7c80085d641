package io.roster.identity;

import io.roster.config.InitialCluster;
import io.roster.config.InvalidConfigurationException;
import io.roster.config.PeerUrl;
import io.roster.config.RosterProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeIdentityTest {

    @TempDir
    Path dir;

    @Test
    void withNoSettingsTheNodeIsDefaultOnTheDefaultPeerPort() {
        NodeIdentity identity = NodeIdentity.resolve(properties("default", "", "new", dir), 2379);

        assertThat(identity.name()).isEqualTo("default");
        assertThat(identity.peerUrl()).isEqualTo(new PeerUrl("localhost", 2380));
        assertThat(identity.clientUrl()).isEqualTo("http://localhost:2379");
        assertThat(identity.joiningExisting()).isFalse();
        assertThat(identity.initialCluster().members()).containsOnlyKeys("default");
    }

    @Test
    void anAdvertisedClientUrlKeepsHttpsSoThatClientsUseTls() {
        RosterProperties d = defaults();
        RosterProperties tls = new RosterProperties("n1", dir, "n1=http://a:2380", "new", "roster-cluster", "https://a.example:2379/", 0,
                d.raft(), d.limits(), d.leases(), d.registry(), d.watch(), d.membership(), d.auth(), d.peer(), false);
        RosterProperties plain = new RosterProperties("n1", dir, "n1=http://a:2380", "new", "roster-cluster", "a.example:2379", 0,
                d.raft(), d.limits(), d.leases(), d.registry(), d.watch(), d.membership(), d.auth(), d.peer(), false);

        assertThat(NodeIdentity.resolve(tls, 2379).clientUrl()).isEqualTo("https://a.example:2379");
        assertThat(NodeIdentity.resolve(plain, 2379).clientUrl()).isEqualTo("http://a.example:2379");
    }

    @Test
    void aMemberListensOnItsAdvertisedPeerPortUnlessToldOtherwise() {
        RosterProperties d = defaults();
        PeerUrl advertised = new PeerUrl("a", 2380);
        RosterProperties mapped = new RosterProperties("n1", dir, "n1=http://a:2380", "new", "roster-cluster", "", 12380,
                d.raft(), d.limits(), d.leases(), d.registry(), d.watch(), d.membership(), d.auth(), d.peer(), false);
        RosterProperties outOfRange = new RosterProperties("n1", dir, "n1=http://a:2380", "new", "roster-cluster", "", 70000,
                d.raft(), d.limits(), d.leases(), d.registry(), d.watch(), d.membership(), d.auth(), d.peer(), false);

        assertThat(d.effectiveListenPeerPort(advertised)).isEqualTo(2380);
        assertThat(mapped.effectiveListenPeerPort(advertised)).isEqualTo(12380);
        assertThatThrownBy(() -> outOfRange.effectiveListenPeerPort(advertised))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("roster.listen-peer-port must be a port (1-65535)").hasMessageContaining("70000");
    }

    @Test
    void theInitialClusterAcceptsHostnamesIpsAndUrlsWithoutScheme() {
        InitialCluster cluster = InitialCluster.parse(
                "n1=http://roster-0.roster.default.svc.cluster.local:2380, n2=10.0.0.2:2380,n3=https://[::1]:2381");

        assertThat(cluster.members()).containsKeys("n1", "n2", "n3");
        assertThat(cluster.peerUrlOf("n1").host()).isEqualTo("roster-0.roster.default.svc.cluster.local");
        assertThat(cluster.peerUrlOf("n2")).isEqualTo(new PeerUrl("10.0.0.2", 2380));
        assertThat(cluster.peerUrlOf("n3").port()).isEqualTo(2381);
    }

    @Test
    void idsDependOnTokenAndPeerUrlsAndPrintAsSixteenHexDigits() {
        PeerUrl url = new PeerUrl("10.0.0.1", 2380);
        long id = MemberIds.memberId("token-a", url);

        assertThat(MemberIds.hex(id)).matches("[0-9a-f]{16}");
        assertThat(MemberIds.parseHex(MemberIds.hex(id))).isEqualTo(id);
        assertThat(MemberIds.memberId("token-a", url)).isEqualTo(id);
        assertThat(MemberIds.memberId("token-b", url)).isNotEqualTo(id);
        assertThat(MemberIds.memberId("token-a", new PeerUrl("10.0.0.2", 2380))).isNotEqualTo(id);
        assertThat(MemberIds.clusterId("token-a", java.util.List.of(url))).isNotEqualTo(id);
    }

    @Test
    void httpsPeerUrlsMeanTlsForEveryMemberAndKeepTheIdsOfThePlainOnes() {
        InitialCluster secure = InitialCluster.parse("n1=https://a:2380,n2=https://b:2380");
        InitialCluster plain = InitialCluster.parse("n1=http://a:2380,n2=b:2380");

        assertThat(secure.usesTls()).isTrue();
        assertThat(plain.usesTls()).isFalse();
        assertThat(secure.peerUrlOf("n1").url()).isEqualTo("https://a:2380");
        assertThat(MemberIds.memberId("t", secure.peerUrlOf("n1"))).isEqualTo(MemberIds.memberId("t", plain.peerUrlOf("n1")));
        assertThat(MemberIds.clusterId("t", secure.peerUrls())).isEqualTo(MemberIds.clusterId("t", plain.peerUrls()));
        assertThatThrownBy(() -> InitialCluster.parse("n1=https://a:2380,n2=http://b:2380,n3=https://c:2380").usesTls())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("roster.initial-cluster mixes https:// peer URLs (n1, n3) with http:// ones (n2); members talk TLS to"
                        + " all or to none");
    }

    @Test
    void peerTlsNeedsAllThreeFilesAndHttpsUrls() {
        RosterProperties.Peer none = defaults().peer();
        RosterProperties.Peer certOnly = new RosterProperties.Peer("/etc/roster/peer.crt", "", "", true, java.util.List.of(),
                java.util.List.of(), Duration.ofSeconds(10));

        assertThat(none.anyFileSet()).isFalse();
        assertThat(certOnly.anyFileSet()).isTrue();
        assertThatThrownBy(none::tlsSettings).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("roster.peer.cert-file, roster.peer.key-file, roster.peer.trusted-ca-file");
        assertThatThrownBy(certOnly::tlsSettings).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("set roster.peer.key-file, roster.peer.trusted-ca-file");
    }

    @Test
    void badSettingsAreRefusedWithAReasonThatNamesThem() {
        assertRefused(properties("n4", "n1=http://a:2380,n2=http://b:2380", "new", dir), "'n4'", "roster.initial-cluster");
        assertRefused(properties("n1", "n1=http://a:notaport", "new", dir), "malformed", "n1");
        assertRefused(properties("n1", "n1=ftp://a:2380", "new", dir), "http://");
        assertRefused(properties("n1", "n1=http://a", "new", dir), "port");
        assertRefused(properties("n1", "n1=http://a:2380/path", "new", dir), "path");
        assertRefused(properties("n1", "n1=http://a:2380,n1=http://b:2380", "new", dir), "twice");
        assertRefused(properties("n1", "n1=http://a:2380,n2=http://a:2380", "new", dir), "same peer URL");
        assertRefused(properties("n1", "n1", "new", dir), "name=http://host:port");
        assertRefused(properties("n1", "n1=http://a:2380", "bogus", dir), "'new' or 'existing'");
        assertRefused(properties("", "n1=http://a:2380", "new", dir), "roster.name");
    }

    @Test
    void anUnwritableDataDirIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        NodeIdentity identity = NodeIdentity.resolve(properties("default", "", "new", file.resolve("data")), 2379);

        assertThatThrownBy(() -> DataDirectory.prepare(identity))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("roster.data-dir");
    }

    @Test
    void aDataDirKeepsItsMemberAndRefusesAnother() {
        Path data = dir.resolve("data");
        DataDirectory.prepare(NodeIdentity.resolve(properties("n1", "n1=http://a:2380,n2=http://b:2380", "new", data), 2379));
        DataDirectory.prepare(NodeIdentity.resolve(properties("n1", "n1=http://a:2380,n2=http://b:2380", "new", data), 2379));

        NodeIdentity other = NodeIdentity.resolve(properties("n2", "n1=http://a:2380,n2=http://b:2380", "new", data), 2379);
        assertThatThrownBy(() -> DataDirectory.prepare(other))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("belongs to member n1")
                .hasMessageContaining("wipe the data dir");

        NodeIdentity otherToken = NodeIdentity.resolve(new RosterProperties("n1", data, "n1=http://a:2380,n2=http://b:2380",
                "new", "another-token", "", 0, defaults().raft(), defaults().limits(), defaults().leases(), defaults().registry(),
                defaults().watch(), defaults().membership(), defaults().auth(), defaults().peer(), false), 2379);
        assertThatThrownBy(() -> DataDirectory.prepare(otherToken))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("belongs to member");
    }

    private static void assertRefused(RosterProperties properties, String... fragments) {
        assertThatThrownBy(() -> NodeIdentity.resolve(properties, 2379))
                .isInstanceOf(InvalidConfigurationException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(fragments).doesNotContain("\n"));
    }

    private static RosterProperties properties(String name, String initialCluster, String state, Path dataDir) {
        RosterProperties d = defaults();
        return new RosterProperties(name, dataDir, initialCluster, state, "roster-cluster", "", 0, d.raft(), d.limits(), d.leases(),
                d.registry(), d.watch(), d.membership(), d.auth(), d.peer(), false);
    }

    private static RosterProperties defaults() {
        return new RosterProperties("default", Path.of("data"), "", "new", "roster-cluster", "", 0,
                new RosterProperties.Raft(Duration.ofSeconds(1), Duration.ofMinutes(30), 10_000, Duration.ofSeconds(5), 1000),
                new RosterProperties.Limits(4096, 1_572_864, org.springframework.util.unit.DataSize.ofMegabytes(2), 10_000),
                new RosterProperties.Leases(Duration.ofSeconds(1), Duration.ofHours(24), Duration.ofMinutes(5), 1000),
                new RosterProperties.Registry(Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofSeconds(30), 64, 16384,
                        Duration.ofMinutes(5)),
                new RosterProperties.Watch(100_000, 10_000, Duration.ofSeconds(15)),
                new RosterProperties.Membership(Duration.ofSeconds(60), Duration.ofMillis(500)),
                new RosterProperties.Auth(java.util.List.of(), true, "root", Duration.ofMinutes(5), true, true),
                new RosterProperties.Peer("", "", "", true, java.util.List.of(), java.util.List.of(), Duration.ofSeconds(10)), false);
    }
}
