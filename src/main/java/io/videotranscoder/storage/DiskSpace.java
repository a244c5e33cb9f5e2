package io.videotranscoder.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.videotranscoder.refusal.Refusal;

/** Admission control: no new work while the data root's free space is under the threshold. */
public class DiskSpace {

    /** Looked up once: finding a path's file system reads the mount table, asking its free space does not. */
    private final FileStore store;
    private final long minFreeBytes;
    /** The bytes that uploads under way in this process may still write: room already promised. */
    private final AtomicLong reserved = new AtomicLong();

    /** Room held for a write under way, given back when it is closed (once, however often). */
    public interface Reservation extends AutoCloseable {
        @Override
        void close();
    }

    /** @param root an existing folder */
    public DiskSpace(Path root, long minFreeBytes) {
        try {
            this.store = Files.getFileStore(root);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot tell which file system holds " + root, e);
        }
        this.minFreeBytes = minFreeBytes;
    }

    public boolean low() {
        try {
            return store.getUsableSpace() < minFreeBytes;
        } catch (IOException e) {
            return true; // cannot tell: do not take work that may not fit
        }
    }

    /** @throws Refusal no space, while space is low */
    public void requireFree() {
        if (low()) {
            throw new Refusal(Refusal.Kind.NO_SPACE, "The server is short of disk space (under "
                    + mib(minFreeBytes) + " MiB free); try again later.", null);
        }
    }

    /**
     * Refuses, before a byte of it is written, what would leave less than the threshold free: an upload's declared
     * length, which one request would otherwise write past it.
     *
     * @throws Refusal no space
     */
    public void requireRoomFor(long bytes) {
        requireFree();
        long room;
        try {
            room = store.getUsableSpace() - minFreeBytes - reserved.get();
        } catch (IOException e) {
            room = 0;
        }
        if (bytes > room) {
            throw new Refusal(Refusal.Kind.NO_SPACE, "The server has room for " + mib(Math.max(0, room))
                    + " MiB more (it keeps " + mib(minFreeBytes) + " MiB free), and this upload is " + mib(bytes)
                    + " MiB; try again later.", null);
        }
    }

    /**
     * As {@link #requireRoomFor}, counting the room that writes under way in this process hold, then holds
     * {@code bytes} of it until the returned reservation is closed: uploads that each fit alone do not fill the disk
     * together. (The bytes they wrote are counted twice meanwhile, on the side of caution.)
     *
     * @throws Refusal no space
     */
    public synchronized Reservation reserve(long bytes) {
        requireRoomFor(bytes);
        reserved.addAndGet(bytes);
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.getAndSet(false)) {
                reserved.addAndGet(-bytes);
            }
        };
    }

    private static long mib(long bytes) {
        return bytes / (1 << 20);
    }
}
