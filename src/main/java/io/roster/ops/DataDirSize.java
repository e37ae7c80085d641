package io.roster.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** The bytes the data dir takes on disk (log, snapshots, metadata), measured at most once a second. */
public final class DataDirSize {

    private static final long CACHE_NANOS = 1_000_000_000L;

    private final Path dataDir;
    private final LongSupplier nanoClock;
    private long measuredAt;
    private long bytes = -1;

    public DataDirSize(Path dataDir, LongSupplier nanoClock) {
        this.dataDir = dataDir;
        this.nanoClock = nanoClock;
    }

    public synchronized long bytes() {
        long now = nanoClock.getAsLong();
        if (bytes < 0 || now - measuredAt > CACHE_NANOS) {
            bytes = measure();
            measuredAt = now;
        }
        return bytes;
    }

    private long measure() {
        AtomicLong total = new AtomicLong();
        try {
            Files.walkFileTree(dataDir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    total.addAndGet(attributes.size());
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    // Files come and go while RocksDB compacts and JRaft rotates snapshots.
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total.get();
    }
}
