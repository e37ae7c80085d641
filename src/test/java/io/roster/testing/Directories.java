package io.roster.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deleting the directory trees that tests create. */
public final class Directories {

    private Directories() {
    }

    /** Deletes {@code root} and everything under it, if it exists; fails on the first file it cannot delete. */
    public static void delete(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes what it can of {@code root}, for clean-up after killed processes, which may still have been
     * writing a file: a clean-up failure must never hide the test's own outcome, and the OS cleans temp
     * dirs eventually.
     */
    public static void deleteQuietly(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // left for the OS's clean-up
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }
}
