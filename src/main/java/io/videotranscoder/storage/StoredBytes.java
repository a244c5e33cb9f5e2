package io.videotranscoder.storage;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the files under a folder hold, as a Kubernetes emptyDir's {@code sizeLimit} counts it: each file once (hard
 * links share their bytes). Counted when made, then again in the background once the count is a second old, so that
 * no caller (an event loop among them) waits on a walk of the tree. A folder that cannot be read is passed over.
 */
final class StoredBytes {

    private static final long RECOUNT_AFTER_NANOS = 1_000_000_000L;

    private final Path root;
    private final AtomicBoolean counting = new AtomicBoolean();
    private volatile long bytes;
    private volatile long countedAt;

    StoredBytes(Path root) {
        this.root = root;
        count();
    }

    /** The last count; a new one is begun in the background when it is over a second old. */
    long get() {
        if (System.nanoTime() - countedAt >= RECOUNT_AFTER_NANOS && counting.compareAndSet(false, true)) {
            CompletableFuture.runAsync(() -> {
                try {
                    count();
                } finally {
                    counting.set(false);
                }
            });
        }
        return bytes;
    }

    private void count() {
        Set<Object> seen = new HashSet<>();
        long[] total = {0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    Object key = attributes.fileKey();
                    if (attributes.isRegularFile() && (key == null || seen.add(key))) {
                        total[0] += attributes.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // removed while counted, or unreadable
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                    return FileVisitResult.CONTINUE; // a folder whose listing failed part way
                }
            });
            bytes = total[0];
        } catch (IOException e) {
            // the root itself could not be walked: the last count stands
        }
        countedAt = System.nanoTime();
    }
}
