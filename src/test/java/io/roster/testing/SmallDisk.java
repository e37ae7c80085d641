package io.roster.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a directory, to give a member a disk that fills: {@link #fill} takes every free
 * byte, {@link #free} gives them back. Mounting needs root (or CAP_SYS_ADMIN); where it cannot mount, {@link #mount}
 * says why and the test skips.
 */
public final class SmallDisk implements AutoCloseable {

    private static final String FILLER = ".disk-filler";
    private final Path directory;

    private SmallDisk(Path directory) {
        this.directory = directory;
    }

    /** Mounts a tmpfs of {@code megabytes} on {@code directory} (created if missing), or says why it cannot. */
    public static Mounted mount(Path directory, int megabytes) {
        try {
            Files.createDirectories(directory);
            String output = run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", directory.toString());
            return output == null ? new Mounted(Optional.of(new SmallDisk(directory)), null)
                    : new Mounted(Optional.empty(), "cannot mount a tmpfs on " + directory + " (needs root): " + output);
        } catch (IOException e) {
            return new Mounted(Optional.empty(), "cannot mount a tmpfs on " + directory + ": " + e.getMessage());
        }
    }

    /** The disk, or why there is none. */
    public record Mounted(Optional<SmallDisk> disk, String whyNot) {
    }

    /** Writes a file until the disk is full. */
    public void fill() {
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(directory.resolve(FILLER))) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            // No space left: what we wanted. The bytes written so far stay in the file.
        }
    }

    /** Deletes what {@link #fill} wrote. */
    public void free() {
        try {
            Files.deleteIfExists(directory.resolve(FILLER));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unmounts (lazily: a killed member may still hold files there for a moment). */
    @Override
    public void close() {
        try {
            run("umount", "-l", directory.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command; null when it succeeded, else its output. */
    private static String run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return String.join(" ", command) + " did not finish within 30 s";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return process.exitValue() == 0 ? null : output.isEmpty() ? "exit code " + process.exitValue() : output;
    }
}
