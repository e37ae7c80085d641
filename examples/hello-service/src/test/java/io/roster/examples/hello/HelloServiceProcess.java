package io.roster.examples.hello;

import io.roster.testkit.FreePorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * hello-service.jar as a real OS process on a free port, its output in a file. {@link #stop()} is SIGTERM
 * (a graceful shutdown, which deregisters), {@link #kill9()} is SIGKILL (no shutdown at all).
 */
final class HelloServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final int port;
    private final Path output;
    private final Process process;

    private HelloServiceProcess(int port, Path output, Process process) {
        this.port = port;
        this.output = output;
        this.process = process;
    }

    /**
     * @param endpoints spring.cloud.roster.endpoints
     * @param settings  more --name=value arguments
     */
    static HelloServiceProcess start(Path dir, String name, String endpoints, String... settings) {
        int port = FreePorts.next();
        Path output = dir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar().toString(),
                "--server.port=" + port, "--spring.cloud.roster.endpoints=" + endpoints,
                "--spring.cloud.roster.discovery.host=127.0.0.1"));
        command.addAll(List.of(settings));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            return new HelloServiceProcess(port, output, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("hello.service.jar", "target/hello-service.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: run these tests with mvn verify, after package");
        }
        return jar;
    }

    /** The instance id it registers with: the default, service-host-port. */
    String instanceId() {
        return "hello-service-127.0.0.1-" + port;
    }

    /** GET of a path: the body of a 200 answer, or null when it cannot be reached or answers otherwise. */
    String get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end by itself; its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("hello-service on port " + port + " still runs after " + timeout);
        }
        return process.exitValue();
    }

    /** SIGTERM, and waits until the process is gone. */
    void stop() throws InterruptedException {
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGKILL, as a crash: no shutdown hook runs, nothing deregisters. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(cannot read " + output + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    @Override
    public String toString() {
        return "hello-service on port " + port;
    }
}
