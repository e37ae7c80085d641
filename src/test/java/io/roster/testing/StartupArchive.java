package io.roster.testing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How the test processes launch the built jar: extracted ({@code java -Djarmode=tools extract}) and with a
 * class-data-sharing archive recorded by one training start, so that every later start loads its classes from
 * the archive. On this 2-core machine a member's context refreshes in about 2 to 4 s instead of 5, and the
 * suite starts members many dozens of times. The archive is made once per built jar, under
 * {@code target/startup-archive}. Should anything fail, processes launch the plain jar, as before.
 */
final class StartupArchive {

    private static final Logger log = LoggerFactory.getLogger(StartupArchive.class);
    private static final long TRAINING_TIMEOUT_SECONDS = 180;
    /** By jar: a test may run two builds side by side (RollingUpgradeIT), each with its own archive. */
    private static final Map<Path, List<String>> launches = new HashMap<>();

    private StartupArchive() {
    }

    /** The arguments after {@code java} and its options that start {@code jar}: the archive's, or {@code -jar jar}. */
    static synchronized List<String> launchArguments(Path jar, String java, List<String> jvmOptions) {
        return launches.computeIfAbsent(jar.toAbsolutePath(), ignored -> prepare(jar, java, jvmOptions));
    }

    private static List<String> prepare(Path jar, String java, List<String> jvmOptions) {
        Path dir = jar.getParent().resolve("startup-archive");
        Path extracted = dir.resolve("app").resolve(jar.getFileName());
        Path archive = dir.resolve("app.jsa");
        Path stamp = dir.resolve("built-from");
        try {
            String jarStamp = jar + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
            if (!(Files.isRegularFile(archive) && Files.isRegularFile(stamp) && Files.readString(stamp).equals(jarStamp))) {
                Directories.delete(dir);
                Files.createDirectories(dir);
                run(dir, "extracting " + jar, Map.of(), java, "-Djarmode=tools", "-jar", jar.toString(), "extract",
                        "--destination", dir.resolve("app").toString());
                train(dir, java, jvmOptions, extracted, archive);
                Files.writeString(stamp, jarStamp, StandardCharsets.UTF_8);
            }
            return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar",
                    extracted.toString());
        } catch (IOException | RuntimeException e) {
            log.warn("Test processes start from the plain jar: no startup archive ({})", e.getMessage());
            return List.of("-jar", jar.toString());
        }
    }

    /** One start of a single node up to its context refresh, recording the classes it loaded. */
    private static void train(Path dir, String java, List<String> jvmOptions, Path extracted, Path archive) throws IOException {
        Path data = Files.createTempDirectory("roster-startup-archive-");
        try {
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(jvmOptions);
            command.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                    "-Dspring.context.exit=onRefresh", "-Dlogging.path=" + dir.resolve("bolt"), "-jar", extracted.toString(),
                    "--server.port=" + FreePorts.next(), "--roster.data-dir=" + data,
                    "--roster.initial-cluster=default=http://127.0.0.1:" + FreePorts.next()));
            // RocksDB's native library (13.6 MB) is unpacked there: this start exits while it is still being unpacked,
            // too late for RocksDB to delete it on exit from /tmp.
            run(dir, "recording the startup archive", Map.of("ROCKSDB_SHAREDLIB_DIR", data.toString()), command.toArray(String[]::new));
            if (!Files.isRegularFile(archive)) {
                throw new IllegalStateException("the training start wrote no archive; see " + dir.resolve("output.log"));
            }
        } finally {
            Directories.deleteQuietly(data);
        }
    }

    private static void run(Path dir, String what, Map<String, String> environment, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("output.log").toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            if (!process.waitFor(TRAINING_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(what + " took over " + TRAINING_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " was interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(what + " exited " + process.exitValue() + "; see " + dir.resolve("output.log"));
        }
    }
}
