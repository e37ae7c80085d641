package io.roster.container;

import io.roster.testing.ContainerEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code scripts/container-engine.sh} as {@code .ci/run} calls it on a fresh machine: inside
 * {@code "$(...)"}, with no engine yet serving. The Podman service it starts must outlive it without
 * holding its stdout, or the caller waits for the service to end, which is never (CI timed out so once).
 * Here the script serves a second socket of its own; the engine that the other container tests use is
 * left alone. Runs only where the script serves Podman itself (root on Debian, Podman set up).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ContainerEngineScriptIT {

    /** Starting the service takes about a second; the script itself gives up after 20 s. */
    private static final long HAND_OVER_SECONDS = 60;

    @TempDir
    Path dir;
    private Path socket;

    @Test
    void startsTheServiceAndHandsOverItsOutputAtOnce() throws Exception {
        String engine = ContainerEngine.require();
        Assumptions.assumeTrue(engine.startsWith("unix:///run/podman/"),
                () -> "the engine is " + engine + ", not a Podman service that the script starts itself");
        socket = dir.resolve("podman.sock");

        ProcessBuilder builder = new ProcessBuilder(List.of("bash",
                ContainerEngine.projectDir().resolve("scripts/container-engine.sh").toString()))
                .redirectError(dir.resolve("script.log").toFile());
        builder.environment().remove("DOCKER_HOST");
        builder.environment().put("ROSTER_PODMAN_SOCKET", socket.toString());
        builder.environment().put("ROSTER_PODMAN_LOG", dir.resolve("service.log").toString());
        Process script = builder.start();
        script.getOutputStream().close();

        String out = untilEndOfOutput(script.getInputStream(), script);
        assertThat(script.waitFor(HAND_OVER_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(script.exitValue()).as("exit status; %s", Files.readString(dir.resolve("script.log"))).isZero();
        assertThat(out.lines()).contains("DOCKER_HOST=unix://" + socket);

        long service = servicePid().orElseThrow(() -> new AssertionError("no podman service serves " + socket));
        assertThat(answersPing()).as("the service outlives the script").isTrue();
        assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(service), "cwd")))
                .as("the service's directory, which must outlive any checkout").isEqualTo(Path.of("/"));
    }

    /** stdout to its end, which comes only once no process holds it open: the script and all it left behind. */
    private String untilEndOfOutput(InputStream stdout, Process script) throws Exception {
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            return output.get(HAND_OVER_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            script.destroyForcibly();
            servicePid().ifPresent(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            return fail("the script's stdout stayed open for " + HAND_OVER_SECONDS + " s (script alive: "
                    + script.isAlive() + "): something it started still holds it, so \"$(...)\" never returns");
        }
    }

    private Optional<Long> servicePid() {
        String command = "podman system service --time=0 unix://" + socket;
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().map(line -> line.endsWith(command)).orElse(false))
                .map(ProcessHandle::pid)
                .findFirst();
    }

    private boolean answersPing() throws Exception {
        Process curl = new ProcessBuilder("curl", "-fsS", "--max-time", "5", "--unix-socket", socket.toString(),
                "http://engine/_ping").redirectErrorStream(true).start();
        String reply = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return curl.waitFor() == 0 && reply.startsWith("OK");
    }

    @AfterEach
    void stopTheService() throws Exception {
        if (socket == null) {
            return;
        }
        Optional<ProcessHandle> service = servicePid().flatMap(ProcessHandle::of);
        if (service.isPresent()) {
            service.get().destroy();
            service.get().onExit().get(30, TimeUnit.SECONDS);
        }
    }
}
