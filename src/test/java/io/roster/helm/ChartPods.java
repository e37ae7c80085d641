package io.roster.helm;

import io.roster.testing.Directories;
import io.roster.testing.RosterHttp;
import io.roster.testing.FreePorts;
import io.roster.testing.RosterProcess;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import static io.roster.helm.RenderedChart.at;

/**
 * Runs the chart's rendered pods and hook Job as local processes, doing what the kubelet and cluster DNS
 * would: the downward API and {@code $(VAR)} references in env, ConfigMap and emptyDir volumes as
 * directories (a pod's "data" volume outlives it, like its PersistentVolumeClaim), the container's own
 * command. Every pod's DNS name resolves to 127.0.0.1 through a hosts file the JVMs read
 * ({@code -Djdk.net.hosts.file}); as all pods share one address, each pod's ports 2379/2380 become free
 * ports, rewritten consistently wherever the rendered manifests name {@code <pod host>:<port>}.
 *
 * <p>The image's {@code /opt/roster} is a directory whose {@code bin/roster-server} runs the jar under test
 * and whose {@code bin/rosterctl} is the repository's {@code bin/rosterctl} (with {@code ROSTER_JAR}).
 */
final class ChartPods implements AutoCloseable {

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    private static final String STATEFULSET = RenderedChart.RELEASE;
    private static final String CLIENT_SERVICE_HOST = RenderedChart.RELEASE + "." + RenderedChart.NAMESPACE + ".svc.cluster.local";

    private final Path root;
    private final Path logDir;
    private final Path hostsFile;
    private final Path rosterHome;
    private final Path jar;
    private final int[] peerPorts;
    private final int[] clientPorts;
    private final Map<Integer, Pod> pods = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
    private final Thread shutdownHook = new Thread(this::killAll, "chart-pods-cleanup");

    ChartPods(int maxPods, Path logDir) {
        try {
            this.root = Files.createTempDirectory("roster-chart-pods-");
            this.logDir = Files.createDirectories(logDir);
            this.jar = RosterProcess.rosterJar();
            this.peerPorts = new int[maxPods];
            this.clientPorts = new int[maxPods];
            List<String> hosts = new ArrayList<>(List.of("localhost", InetAddress.getLocalHost().getHostName(), CLIENT_SERVICE_HOST));
            for (int ordinal = 0; ordinal < maxPods; ordinal++) {
                peerPorts[ordinal] = FreePorts.next();
                clientPorts[ordinal] = FreePorts.next();
                hosts.add(podHost(ordinal));
            }
            this.hostsFile = Files.writeString(root.resolve("hosts"), "127.0.0.1 " + String.join(" ", hosts) + "\n");
            this.rosterHome = writeRosterHome(root.resolve("opt-roster"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The contents of a Secret the rendered pods mount (file name → text). */
    ChartPods secret(String name, Map<String, String> files) {
        secrets.put(name, Map.copyOf(files));
        return this;
    }

    static String podName(int ordinal) {
        return STATEFULSET + "-" + ordinal;
    }

    static String podHost(int ordinal) {
        return podName(ordinal) + "." + STATEFULSET + "-headless." + RenderedChart.NAMESPACE + ".svc.cluster.local";
    }

    /** Pod N's ports 2380 and 2379 become its own free ports; the client Service routes to pod 0. */
    String mapPorts(String text) {
        String mapped = text;
        for (int ordinal = 0; ordinal < peerPorts.length; ordinal++) {
            mapped = mapped.replace(podHost(ordinal) + ":2380", podHost(ordinal) + ":" + peerPorts[ordinal])
                    .replace(podHost(ordinal) + ":2379", podHost(ordinal) + ":" + clientPorts[ordinal]);
        }
        return mapped.replace(CLIENT_SERVICE_HOST + ":2379", CLIENT_SERVICE_HOST + ":" + clientPorts[0]);
    }

    /** The peer URL pod N has inside the cluster, with its mapped port. */
    String peerUrl(int ordinal) {
        return "http://" + podHost(ordinal) + ":" + peerPorts[ordinal];
    }

    /** Starts pod N of the rendered StatefulSet (again, on the same data volume, if it ran before). */
    Pod start(RenderedChart chart, int ordinal) {
        Pod running = pods.get(ordinal);
        if (running != null && running.isRunning()) {
            throw new IllegalStateException(running + " is still running");
        }
        Map<String, Object> statefulSet = chart.get("StatefulSet", STATEFULSET);
        Map<String, Object> podSpec = at(statefulSet, "spec", "template", "spec");
        Path podDir = root.resolve("pods").resolve(podName(ordinal));
        List<Map<String, Object>> claims = at(statefulSet, "spec", "volumeClaimTemplates");
        Map<String, Path> mounts = mountVolumes(chart, podSpec, RenderedChart.container(statefulSet), podDir, claims == null ? List.of()
                : claims.stream().map(claim -> (String) at(claim, "metadata", "name")).toList());
        Pod pod = new Pod(ordinal, clientPorts[ordinal], podDir, logDir.resolve(podName(ordinal) + ".log"),
                at(RenderedChart.container(statefulSet), "readinessProbe", "httpGet"));
        pod.process = launch(RenderedChart.container(statefulSet), podName(ordinal), mounts, pod.log);
        pods.put(ordinal, pod);
        return pod;
    }

    /** Runs the hook Job's container to its end, as the pre-upgrade hook would; answers its exit code and output. */
    JobRun runJob(RenderedChart chart, String name, Duration timeout) {
        Map<String, Object> job = chart.get("Job", name);
        Map<String, Object> podSpec = at(job, "spec", "template", "spec");
        Path jobDir = root.resolve("jobs").resolve(name + "-" + System.nanoTime());
        Map<String, Path> mounts = mountVolumes(chart, podSpec, RenderedChart.container(job), jobDir, List.of());
        Path log = logDir.resolve(name + ".log");
        Process process = launch(RenderedChart.container(job), name + "-job", mounts, log);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                destroyTree(process);
                throw new AssertionError("job " + name + " did not finish within " + timeout.toSeconds() + " s:\n" + read(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroyTree(process);
            throw new AssertionError("interrupted while job " + name + " ran", e);
        }
        return new JobRun(process.exitValue(), read(log));
    }

    record JobRun(int exitCode, String output) {
    }

    /** Volumes as directories: ConfigMaps written afresh (ports mapped), emptyDirs new, claims kept per pod. */
    private Map<String, Path> mountVolumes(RenderedChart chart, Map<String, Object> podSpec, Map<String, Object> container, Path podDir,
            List<String> claimTemplates) {
        Map<String, Path> volumes = new LinkedHashMap<>();
        List<Map<String, Object>> declared = at(podSpec, "volumes");
        try {
            for (Map<String, Object> volume : declared == null ? List.<Map<String, Object>>of() : declared) {
                String volumeName = (String) volume.get("name");
                Path dir = podDir.resolve("volumes").resolve(volumeName);
                if (volume.containsKey("configMap")) {
                    Directories.deleteQuietly(dir);
                    Files.createDirectories(dir);
                    Map<String, Object> configMap = chart.get("ConfigMap", at(volume, "configMap", "name"));
                    Map<String, String> data = at(configMap, "data");
                    for (Map.Entry<String, String> file : data.entrySet()) {
                        Path path = Files.writeString(dir.resolve(file.getKey()), mapPorts(file.getValue()));
                        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("r-xr-xr-x"));
                    }
                } else if (volume.containsKey("secret")) {
                    String secretName = at(volume, "secret", "secretName");
                    Map<String, String> files = secrets.get(secretName);
                    if (files == null) {
                        throw new IllegalArgumentException("no Secret " + secretName + " given to the test's pods");
                    }
                    Directories.deleteQuietly(dir);
                    Files.createDirectories(dir);
                    for (Map.Entry<String, String> file : files.entrySet()) {
                        Files.writeString(dir.resolve(file.getKey()), file.getValue());
                    }
                } else if (volume.containsKey("emptyDir")) {
                    // An emptyDir lives and dies with its pod: every start here is a new pod.
                    Directories.deleteQuietly(dir);
                    Files.createDirectories(dir);
                } else {
                    throw new IllegalArgumentException("no stand-in for volume " + volume);
                }
                volumes.put(volumeName, dir);
            }
            Map<String, Path> mounts = new LinkedHashMap<>();
            List<Map<String, Object>> volumeMounts = at(container, "volumeMounts");
            for (Map<String, Object> mount : volumeMounts == null ? List.<Map<String, Object>>of() : volumeMounts) {
                String volumeName = (String) mount.get("name");
                Path dir = volumes.get(volumeName);
                if (dir == null && claimTemplates.contains(volumeName)) {
                    // A volume of the StatefulSet's claim templates: one directory per pod, surviving the pod.
                    dir = Files.createDirectories(podDir.resolve("volumes").resolve(volumeName));
                }
                if (dir == null) {
                    throw new IllegalArgumentException("mount of an undeclared volume: " + mount);
                }
                mounts.put((String) mount.get("mountPath"), dir);
            }
            return mounts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Process launch(Map<String, Object> container, String podName, Map<String, Path> mounts, Path log) {
        List<String> command = new ArrayList<>();
        List<String> rendered = at(container, "command");
        rendered.forEach(word -> command.add(mapPaths(word, mounts)));
        List<String> args = at(container, "args");
        if (args != null) {
            args.forEach(word -> command.add(mapPaths(word, mounts)));
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(key -> key.startsWith("ROSTER") || key.startsWith("SERVER_") || key.startsWith("SPRING_")
                || key.startsWith("MANAGEMENT_") || key.startsWith("LOGGING_") || key.startsWith("POD_"));
        podEnv(container, podName, secrets).forEach((key, value) -> environment.put(key, mapPaths(mapPorts(value), mounts)));
        // What the image provides: its /opt/roster, and Java resolving names through "cluster DNS".
        environment.put("ROSTER_HOME", rosterHome.toString());
        environment.put("ROSTER_JAR", jar.toString());
        environment.put("ROSTERCTL_JAVA_OPTS", "-Djdk.net.hosts.file=" + hostsFile);
        // RocksDB unpacks its native library (13.6 MB) there instead of /tmp, where every killed pod left one.
        Path nativeLibraryDir = root.resolve("native").resolve(podName);
        environment.put("ROCKSDB_SHAREDLIB_DIR", nativeLibraryDir.toString());
        try {
            Files.createDirectories(nativeLibraryDir);
            Files.writeString(log, String.format("%n===== %s: %s%n===== env %s%n", Instant.now(), String.join(" ", command).lines()
                            .findFirst().orElse(""), environment.entrySet().stream().filter(entry -> entry.getKey().startsWith("ROSTER")
                            || entry.getKey().startsWith("POD_")).map(Object::toString).collect(Collectors.joining(" "))),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Process process = builder.start();
            process.getOutputStream().close();
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The container's env as Kubernetes resolves it: downward API fields, keys of the Secrets given to
     * {@link #secret}, and $(VAR) of earlier entries.
     */
    static Map<String, String> podEnv(Map<String, Object> container, String podName, Map<String, Map<String, String>> secrets) {
        Map<String, String> env = new LinkedHashMap<>();
        List<Map<String, Object>> entries = at(container, "env");
        for (Map<String, Object> entry : entries == null ? List.<Map<String, Object>>of() : entries) {
            String name = (String) entry.get("name");
            if (entry.containsKey("value")) {
                env.put(name, expand(String.valueOf(entry.get("value")), env));
            } else if (at(entry, "valueFrom", "secretKeyRef") != null) {
                String secret = at(entry, "valueFrom", "secretKeyRef", "name");
                String key = at(entry, "valueFrom", "secretKeyRef", "key");
                String value = secrets.getOrDefault(secret, Map.of()).get(key);
                if (value == null) {
                    throw new IllegalArgumentException("no key " + key + " in a Secret " + secret + " given to the test's pods");
                }
                env.put(name, value);
            } else {
                String field = at(entry, "valueFrom", "fieldRef", "fieldPath");
                if ("metadata.name".equals(field)) {
                    env.put(name, podName);
                } else if ("metadata.namespace".equals(field)) {
                    env.put(name, RenderedChart.NAMESPACE);
                } else {
                    throw new IllegalArgumentException("no stand-in for env " + entry);
                }
            }
        }
        return env;
    }

    /** Kubernetes' dependent variables: $(NAME) of a variable defined earlier in the list; others stay as written. */
    private static String expand(String value, Map<String, String> defined) {
        Matcher matcher = ENV_REFERENCE.matcher(value);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String replacement = defined.getOrDefault(matcher.group(1), matcher.group());
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
        }
        return matcher.appendTail(expanded).toString();
    }

    private static String mapPaths(String value, Map<String, Path> mounts) {
        String mapped = value;
        for (Map.Entry<String, Path> mount : mounts.entrySet()) {
            if (mapped.equals(mount.getKey()) || mapped.startsWith(mount.getKey() + "/")) {
                return mount.getValue() + mapped.substring(mount.getKey().length());
            }
        }
        return mapped;
    }

    private Path writeRosterHome(Path home) throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        String java = ProcessHandle.current().info().command().orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path server = Files.writeString(bin.resolve("roster-server"), "#!/usr/bin/env bash\n"
                + "# The image's entry point, here: the jar under test in a small JVM, resolving pod names through the test's hosts file.\n"
                + "exec '" + java + "' " + String.join(" ", RosterProcess.DEFAULT_JVM_OPTIONS) + " -Djdk.net.hosts.file='" + hostsFile
                + "' -jar \"$ROSTER_JAR\" \"$@\"\n");
        Path repositoryRosterctl = Path.of("bin", "rosterctl").toAbsolutePath();
        Path rosterctl = Files.writeString(bin.resolve("rosterctl"), "#!/usr/bin/env bash\nexec '" + repositoryRosterctl + "' \"$@\"\n");
        for (Path script : List.of(server, rosterctl)) {
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return home;
    }

    Pod pod(int ordinal) {
        Pod pod = pods.get(ordinal);
        if (pod == null) {
            throw new IllegalArgumentException("pod " + ordinal + " never started");
        }
        return pod;
    }

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down
        }
        Directories.deleteQuietly(root);
    }

    private void killAll() {
        pods.values().forEach(Pod::kill9);
    }

    private static void destroyTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Probes as the kubelet does: HTTPS without verifying the server's certificate. */
    private static final HttpClient KUBELET = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).sslContext(trustingEveryCertificate()).build();

    private static SSLContext trustingEveryCertificate() {
        X509TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One pod: its process (the start script, which becomes the server), its client port and its volumes. */
    static final class Pod {
        private final int ordinal;
        private final int clientPort;
        private final Path dir;
        private final Path log;
        private final RosterHttp client;
        private final URI readinessProbe;
        private volatile Process process;

        private Pod(int ordinal, int clientPort, Path dir, Path log, Map<String, Object> readinessGet) {
            this.ordinal = ordinal;
            this.clientPort = clientPort;
            this.dir = dir;
            this.log = log;
            this.client = new RosterHttp("http://127.0.0.1:" + clientPort).withTimeout(Duration.ofSeconds(10));
            // The rendered probe's scheme and path; its port is the container's client port.
            this.readinessProbe = URI.create(String.valueOf(readinessGet.get("scheme")).toLowerCase(Locale.ROOT) + "://127.0.0.1:"
                    + clientPort + readinessGet.get("path"));
        }

        String name() {
            return podName(ordinal);
        }

        RosterHttp client() {
            return client;
        }

        /** The client port's address for HTTPS: the test's certificates name 127.0.0.1. */
        String httpsUrl() {
            return "https://127.0.0.1:" + clientPort;
        }

        /** The directory standing in for the pod's volume {@code name}. */
        Path volume(String name) {
            return dir.resolve("volumes").resolve(name);
        }

        boolean isRunning() {
            return process != null && process.isAlive();
        }

        /** Everything this pod's script and server printed, over all its starts. */
        String log() {
            return read(log);
        }

        /**
         * Waits until the rendered readiness probe succeeds as the kubelet runs it (its scheme and path, a 2xx or
         * 3xx answer, certificates not verified); fails fast if the pod exits.
         */
        Pod awaitReady(Duration timeout) {
            AtomicReference<String> last = new AtomicReference<>("no answer yet");
            try {
                Awaitility.await(name() + " ready").atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError(name() + " exited with code " + process.exitValue() + " before it was ready:\n" + tail());
                    }
                    try {
                        HttpResponse<String> answer = KUBELET.send(HttpRequest.newBuilder(readinessProbe).timeout(Duration.ofSeconds(2))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        last.set(answer.statusCode() + " " + answer.body());
                        return answer.statusCode() >= 200 && answer.statusCode() < 400;
                    } catch (IOException e) {
                        last.set(e.toString());
                        return false;
                    }
                });
            } catch (ConditionTimeoutException e) {
                throw new AssertionError(name() + " was not ready within " + timeout.toSeconds() + " s; last readiness answer: "
                        + last.get() + "\n" + tail(), e);
            }
            return this;
        }

        /** SIGTERM, as the kubelet sends when the StatefulSet deletes the pod. */
        void stop() {
            Process current = process;
            current.destroy();
            try {
                if (!current.waitFor(60, TimeUnit.SECONDS)) {
                    throw new AssertionError(name() + " did not stop within 60 s after SIGTERM:\n" + tail());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void kill9() {
            Process current = process;
            if (current != null && current.isAlive()) {
                destroyTree(current);
            }
        }

        private String tail() {
            List<String> lines = log().lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        }

        @Override
        public String toString() {
            return "pod " + name() + " (http://127.0.0.1:" + clientPort + ")";
        }
    }
}
