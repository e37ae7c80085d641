package io.roster.identity;

import io.roster.config.InvalidConfigurationException;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * Prepares the data dir and binds it to one member of one cluster. A data dir records the cluster and
 * member it belongs to; starting another member or another cluster's node on it is refused, because Raft
 * state copied between members silently corrupts a cluster.
 */
public final class DataDirectory {

    static final String IDENTITY_FILE = "member.properties";

    private DataDirectory() {
    }

    /** The member and cluster this data dir belongs to, or empty for a new data dir. */
    public record Recorded(String name, long memberId, long clusterId) {
    }

    public static java.util.Optional<Recorded> read(java.nio.file.Path dir) {
        Path file = dir.resolve(IDENTITY_FILE);
        if (!Files.exists(file)) {
            return java.util.Optional.empty();
        }
        Properties recorded = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            recorded.load(reader);
            return java.util.Optional.of(new Recorded(recorded.getProperty("name"),
                    MemberIds.parseHex(recorded.getProperty("member-id")), MemberIds.parseHex(recorded.getProperty("cluster-id"))));
        } catch (IOException | RuntimeException e) {
            throw new InvalidConfigurationException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Creates the data dir if needed, refusing one that cannot be written. */
    public static void requireWritable(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InvalidConfigurationException("roster.data-dir " + dir + " cannot be created: " + e.getMessage());
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new InvalidConfigurationException("roster.data-dir " + dir + " is not a writable directory");
        }
    }

    /** Binds the data dir to this member: records it the first time, refuses another member's afterwards. */
    public static void prepare(NodeIdentity identity) {
        Path dir = identity.dataDir();
        requireWritable(dir);
        Path file = dir.resolve(IDENTITY_FILE);
        if (Files.exists(file)) {
            verify(identity, file);
        } else {
            record(identity, file);
        }
    }

    private static void verify(NodeIdentity identity, Path file) {
        Properties recorded = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            recorded.load(reader);
        } catch (IOException e) {
            throw new InvalidConfigurationException("cannot read " + file + ": " + e.getMessage());
        }
        String memberId = MemberIds.hex(identity.memberId());
        String clusterId = MemberIds.hex(identity.clusterId());
        if (!memberId.equals(recorded.getProperty("member-id"))) {
            throw new InvalidConfigurationException("data dir " + identity.dataDir() + " belongs to member "
                    + recorded.getProperty("name") + " (" + recorded.getProperty("member-id") + "), not to " + identity.name()
                    + " (" + memberId + "); use that member's settings, or wipe the data dir to start this member fresh");
        }
        if (!clusterId.equals(recorded.getProperty("cluster-id"))) {
            throw new InvalidConfigurationException("data dir " + identity.dataDir() + " belongs to cluster "
                    + recorded.getProperty("cluster-id") + ", not " + clusterId + " (check roster.initial-cluster and "
                    + "roster.initial-cluster-token), or wipe the data dir to join as a new member");
        }
    }

    private static void record(NodeIdentity identity, Path file) {
        Properties properties = new Properties();
        properties.setProperty("name", identity.name());
        properties.setProperty("member-id", MemberIds.hex(identity.memberId()));
        properties.setProperty("cluster-id", MemberIds.hex(identity.clusterId()));
        properties.setProperty("peer-url", identity.peerUrl().url());
        Path temporary = file.resolveSibling(IDENTITY_FILE + ".tmp");
        try {
            try (Writer writer = Files.newBufferedWriter(temporary)) {
                properties.store(writer, "Roster member identity: do not copy this data dir to another member");
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new InvalidConfigurationException("cannot write " + file + ": " + e.getMessage());
        }
    }
}
