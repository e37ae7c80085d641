package io.roster.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/roster} and the container's entrypoint choose the JVM start-up cache the way
 * {@code scripts/train-cache.sh} leaves it: the archive of this jar and this JDK, with the extracted jar it
 * was recorded against; otherwise the fat jar as before. The {@code java} here is a script that prints
 * its arguments, with a JDK {@code release} file, so the choice is seen without starting a server; that
 * the JVM maps the real cache is seen by the container test and the benchmark (bench/startup.sh).
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class RosterLauncherTest {

    private static final Path LAUNCHER = Path.of("bin/roster").toAbsolutePath();
    private static final Path ENTRYPOINT = Path.of("container/roster-server").toAbsolutePath();

    @TempDir
    Path dir;
    private Path jar;
    private Path cacheDir;

    @BeforeEach
    void fatJarWithoutCache() throws IOException {
        jar = Files.createDirectories(dir.resolve("target")).resolve("roster.jar");
        Files.writeString(jar, "a fat jar");
        cacheDir = dir.resolve("target/roster-cache");
        jdk("jdk17", "17.0.15+6-Debian-1deb12u1", "17.0.15");
        jdk("jdk25", "25.0.3+9-LTS", "25.0.3");
    }

    @Test
    void withoutACacheTheFatJarRunsAsBefore() throws Exception {
        assertThat(launch("jdk17", Map.of("JAVA_OPTS", "-Xmx1g  -Dx=1"), "--server.port=1"))
                .containsExactly("-Xmx1g", "-Dx=1", "-jar", jar.toString(), "--server.port=1");
    }

    @Test
    void theArchiveOfThisJarAndJdkRunsWithTheExtractedJar() throws Exception {
        trainedCache("roster-17.0.15+6-Debian-1deb12u1.jsa");
        assertThat(launch("jdk17", Map.of("JAVA_OPTS", "-Xshare:off"), "--a"))
                .as("the cache option first, so JAVA_OPTS can turn it off")
                .containsExactly("-XX:SharedArchiveFile=" + cacheDir.resolve("roster-17.0.15+6-Debian-1deb12u1.jsa"),
                        "-Xshare:off", "-jar", cacheDir.resolve("roster.jar").toString(), "--a");
    }

    @Test
    void jdk25TakesItsAotCacheAndNotTheOtherJdksArchive() throws Exception {
        trainedCache("roster-17.0.15+6-Debian-1deb12u1.jsa");
        assertThat(launch("jdk25", Map.of())).as("only a JDK 17 archive").containsExactly("-jar", jar.toString());

        Files.writeString(cacheDir.resolve("roster-25.0.3+9-LTS.aot"), "cache");
        assertThat(launch("jdk25", Map.of()))
                .containsExactly("-XX:AOTCache=" + cacheDir.resolve("roster-25.0.3+9-LTS.aot"), "-jar", cacheDir.resolve("roster.jar").toString());
    }

    @Test
    void aCacheOfAnotherBuildOfTheJarIsIgnored() throws Exception {
        trainedCache("roster-17.0.15+6-Debian-1deb12u1.jsa");
        Files.writeString(jar, "a rebuilt fat jar");
        assertThat(launch("jdk17", Map.of())).containsExactly("-jar", jar.toString());
    }

    @Test
    void rosterJvmCache0IgnoresTheCache() throws Exception {
        trainedCache("roster-17.0.15+6-Debian-1deb12u1.jsa");
        assertThat(launch("jdk17", Map.of("ROSTER_JVM_CACHE", "0"))).containsExactly("-jar", jar.toString());
    }

    @Test
    void theImageEntrypointUsesTheArchiveNextToTheExtractedJar() throws Exception {
        // The image's layout: /opt/roster/{roster.jar,lib/,bin/roster,roster-<version>.jsa}
        Path home = Files.createDirectories(dir.resolve("opt/roster"));
        Files.createDirectories(home.resolve("lib"));
        Files.writeString(home.resolve("roster.jar"), "a thin jar");
        Files.createDirectories(home.resolve("bin"));
        Files.copy(LAUNCHER, home.resolve("bin/roster"));
        Files.writeString(home.resolve("roster-17.0.15+6-Debian-1deb12u1.jsa"), "archive");

        List<String> args = run(List.of("bash", ENTRYPOINT.toString(), "--spring.main.banner-mode=off"),
                Map.of("ROSTER_HOME", home.toString(), "JAVA_HOME", dir.resolve("jdk17").toString(), "JAVA_OPTS", "-Xmx64m"));
        assertThat(args).containsExactly("-XX:SharedArchiveFile=" + home.resolve("roster-17.0.15+6-Debian-1deb12u1.jsa"),
                "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-Xmx64m",
                "-jar", home.resolve("roster.jar").toString(), "--spring.main.banner-mode=off");

        Files.delete(home.resolve("roster-17.0.15+6-Debian-1deb12u1.jsa"));
        assertThat(run(List.of("bash", ENTRYPOINT.toString()), Map.of("ROSTER_HOME", home.toString(),
                "JAVA_HOME", dir.resolve("jdk17").toString()))).as("an image built without the cache")
                .containsExactly("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", home.resolve("roster.jar").toString());
    }

    /** What train-cache.sh leaves for a fat jar: the extracted jar, the archive, the jar's size and time. */
    private void trainedCache(String archive) throws Exception {
        Files.createDirectories(cacheDir.resolve("lib"));
        Files.writeString(cacheDir.resolve("roster.jar"), "a thin jar");
        Files.writeString(cacheDir.resolve(archive), "archive");
        String stamp = String.join("", run(List.of("stat", "-c", "%s %Y", jar.toString()), Map.of()));
        Files.writeString(cacheDir.resolve("source.stamp"), stamp + "\n");
    }

    /** A fake JDK whose java prints one argument a line. */
    private void jdk(String name, String runtimeVersion, String version) throws IOException {
        Path bin = Files.createDirectories(dir.resolve(name).resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve(name).resolve("release"),
                "IMPLEMENTOR=\"Test\"\nJAVA_RUNTIME_VERSION=\"" + runtimeVersion + "\"\nJAVA_VERSION=\"" + version + "\"\n");
    }

    private List<String> launch(String jdk, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        command.addAll(List.of(args));
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("ROSTER_JAR", jar.toString());
        all.put("JAVA_HOME", dir.resolve(jdk).toString());
        return run(command, all);
    }

    private List<String> run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("JAVA_OPTS");
        builder.environment().remove("ROSTER_JVM_CACHE");
        builder.environment().remove("ROSTER_HOME");
        builder.environment().remove("ROSTER_JAR");
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("exit status of %s: %s", command, out).isZero();
        return out.lines().toList();
    }
}
