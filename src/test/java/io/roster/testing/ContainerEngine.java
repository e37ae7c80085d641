package io.roster.testing;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Docker API for Testcontainers, found or set up by {@code scripts/container-engine.sh} (an engine that
 * answers, else Podman installed and served as root, base image included), so that the container tests
 * run for real on a machine without Docker. Where neither can be had, tests that {@link #require()} it
 * are skipped with the script's reason.
 */
public final class ContainerEngine {

    /** The first set-up installs packages and builds the JRE base image from Debian packages. */
    private static final long SETUP_TIMEOUT_MINUTES = 20;
    private static String dockerHost;
    private static String hostOverride;
    private static String unavailable;

    private ContainerEngine() {
    }

    /**
     * Finds the engine, for Testcontainers to use through {@link ContainerEngineClientProviderStrategy}, or
     * aborts the calling test when there is none. Returns its DOCKER_HOST.
     */
    public static synchronized String require() {
        if (dockerHost == null && unavailable == null) {
            locate();
        }
        Assumptions.assumeTrue(unavailable == null, () -> "no Docker or Podman engine, so this test is skipped: " + unavailable);
        return dockerHost;
    }

    private static void locate() {
        Path script = projectDir().resolve("scripts/container-engine.sh");
        Path log = RosterProcess.logRoot().resolve("container-engine.log");
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(List.of("bash", script.toString()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(SETUP_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                unavailable = script + " did not finish within " + SETUP_TIMEOUT_MINUTES + " minutes (see " + log + ")";
                return;
            }
            String host = setting(out, "DOCKER_HOST");
            hostOverride = setting(out, "TESTCONTAINERS_HOST_OVERRIDE");
            if (process.exitValue() != 0 || host == null) {
                unavailable = script + " exited with " + process.exitValue() + ": " + lastLine(log);
                return;
            }
            dockerHost = host;
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                unavailable = "the engine at " + host + " answers its ping, but Testcontainers cannot use it";
            }
        } catch (IOException e) {
            unavailable = "cannot run " + script + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The engine's Docker API the script reported, once {@link #require()} found one. */
    static synchronized java.util.Optional<String> located() {
        return java.util.Optional.ofNullable(dockerHost);
    }

    /** Where the engine publishes container ports, when the script says (its own Podman: localhost). */
    static synchronized java.util.Optional<String> hostOverride() {
        return java.util.Optional.ofNullable(hostOverride);
    }

    private static String setting(String output, String key) {
        return output.lines().filter(line -> line.startsWith(key + "=")).reduce((a, b) -> b)
                .map(line -> line.substring(key.length() + 1)).orElse(null);
    }

    /** The checkout: failsafe passes it as {@code roster.basedir}; else the jar's {@code target/}'s parent. */
    public static Path projectDir() {
        String basedir = System.getProperty("roster.basedir");
        return basedir != null ? Path.of(basedir) : RosterProcess.rosterJar().getParent().getParent();
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
