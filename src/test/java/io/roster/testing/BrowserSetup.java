package io.roster.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the scripts that install a browser for the console's tests (scripts/browser.sh,
 * scripts/firefox.sh) and reads the {@code NAME=value} lines it prints, or why it could not.
 *
 * @param settings    what the script printed, when it found the browser
 * @param unavailable why there is none, or null
 */
record BrowserSetup(Map<String, String> settings, String unavailable) {

    private static final long TIMEOUT_MINUTES = 10;

    /** Runs {@code scripts/<name>}, which needs to print every one of {@code required}. */
    static BrowserSetup run(String name, String... required) {
        // Not ContainerEngine.projectDir(): without failsafe's roster.basedir it looks beside the built jar,
        // and surefire runs before the jar exists. Surefire runs in the project directory.
        String basedir = System.getProperty("roster.basedir");
        Path script = (basedir != null ? Path.of(basedir) : Path.of("").toAbsolutePath()).resolve("scripts").resolve(name);
        try {
            Path log = Files.createTempFile("roster-browser", ".log");
            try {
                Process process = new ProcessBuilder(List.of("bash", script.toString()))
                        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
                process.getOutputStream().close();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    return none(script + " did not finish within " + TIMEOUT_MINUTES + " minutes");
                }
                Map<String, String> settings = new HashMap<>();
                for (String line : out.split("\n")) {
                    int equals = line.indexOf('=');
                    if (equals > 0 && !line.substring(equals + 1).isBlank()) {
                        settings.put(line.substring(0, equals), line.substring(equals + 1).trim());
                    }
                }
                if (process.exitValue() != 0 || !settings.keySet().containsAll(List.of(required))) {
                    List<String> lines = Files.readAllLines(log);
                    return none(lines.isEmpty() ? script + " found none" : lines.get(lines.size() - 1));
                }
                return new BrowserSetup(Map.copyOf(settings), null);
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            return none("cannot run " + script + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return none("interrupted while running " + script);
        }
    }

    private static BrowserSetup none(String why) {
        return new BrowserSetup(Map.of(), why);
    }
}
