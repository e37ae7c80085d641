package io.roster.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the Roster server jar under test is. */
public final class ServerJar {

    /** The system property that names the jar; the top-level build sets it to the jar it just built. */
    public static final String PROPERTY = "roster.server.jar";

    private ServerJar() {
    }

    /**
     * The jar named by {@value #PROPERTY}, else the first {@code target/roster.jar} found walking up from the
     * working directory (a module under {@code clients/} finds the server's).
     *
     * @throws IllegalStateException when there is none, saying how to build it
     */
    public static Path locate() {
        String configured = System.getProperty(PROPERTY, "");
        if (!configured.isBlank()) {
            Path jar = Path.of(configured).toAbsolutePath();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(PROPERTY + " names " + jar + ", which does not exist");
            }
            return jar;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve("target").resolve("roster.jar");
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        throw new IllegalStateException("no Roster server jar: set -D" + PROPERTY + "=<path>, or build it at the top of "
                + "the repository (./mvnw -DskipTests package) so that target/roster.jar exists above " + Path.of("").toAbsolutePath());
    }
}
