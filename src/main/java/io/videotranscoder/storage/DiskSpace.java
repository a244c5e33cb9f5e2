package io.videotranscoder.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.videotranscoder.process.StartRefusal;
import io.videotranscoder.refusal.Refusal;

/**
 * Admission control: no new work while the data root's free space is under the threshold. Free space is the file
 * system's, or with a limit on what the root may hold (a Kubernetes emptyDir's {@code sizeLimit}, past which the pod
 * is evicted however much the node's disk has), the limit less what the root holds, whichever is less.
 */
public class DiskSpace {

    private final Path root;
    /** Looked up once: finding a path's file system reads the mount table, asking its free space does not. */
    private final FileStore store;
    private final long minFreeBytes;
    private final long limitBytes;
    /** What the root holds, where it may hold no more than the limit; null without one. */
    private final StoredBytes stored;
    /** The uploads under way in this process: the room each was promised, less what it has written. */
    private final Set<Held> held = ConcurrentHashMap.newKeySet();

    /** Room held for a write under way, given back when it is closed (once, however often). */
    public interface Reservation extends AutoCloseable {
        @Override
        void close();
    }

    /** One upload's room (each its own, however alike: the set tells them apart by identity). */
    private final class Held implements Reservation {
        private final long bytes;
        private final LongSupplier written;

        Held(long bytes, LongSupplier written) {
            this.bytes = bytes;
            this.written = written;
        }

        long unwritten() {
            return Math.max(0, bytes - written.getAsLong());
        }

        @Override
        public void close() {
            held.remove(this);
        }
    }

    /** @param root an existing folder */
    public DiskSpace(Path root, long minFreeBytes) {
        this(root, minFreeBytes, 0);
    }

    /**
     * @param root       an existing folder
     * @param limitBytes what the root may hold in all; 0: no limit but the file system's
     */
    public DiskSpace(Path root, long minFreeBytes, long limitBytes) {
        this.root = root.toAbsolutePath().normalize(); // as the log says it
        try {
            this.store = Files.getFileStore(root);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot tell which file system holds " + root, e);
        }
        if (limitBytes > 0 && limitBytes <= minFreeBytes) {
            throw new StartRefusal("TRANSCODER_DATA_LIMIT_BYTES (" + limitBytes + ") must be more than "
                                   + "TRANSCODER_MIN_FREE_BYTES (" + minFreeBytes + "), or every upload is refused.");
        }
        this.minFreeBytes = minFreeBytes;
        this.limitBytes = limitBytes;
        this.stored = limitBytes > 0 ? new StoredBytes(root) : null;
    }

    /**
     * The free space of another folder, with the same minimum: this one where the folder is under this root (its limit
     * counts what it holds), else its file system's. A folder not made yet is on its nearest folder's.
     */
    public DiskSpace of(Path folder) {
        Path at = folder.toAbsolutePath().normalize();
        if (at.startsWith(root)) {
            return this;
        }
        while (!Files.isDirectory(at) && at.getParent() != null) {
            at = at.getParent();
        }
        return new DiskSpace(at, minFreeBytes);
    }

    public boolean low() {
        return usable() < minFreeBytes;
    }

    /** The free space new work may use; none when it cannot be told (do not take work that may not fit). */
    private long usable() {
        try {
            long free = store.getUsableSpace();
            return stored == null ? free : Math.min(free, limitBytes - stored.get());
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Why no new work may start here, as words that follow "while" (a worker's admission); null while there is room.
     */
    public String shortage() {
        long usable = usable();
        return usable < minFreeBytes ? root + " has " + mib(Math.max(0, usable)) + " MiB free for the work, under the "
                + mib(minFreeBytes) + " MiB kept free" : null;
    }

    /** @throws Refusal no space, while space is low */
    public void requireFree() {
        if (low()) {
            throw shortOfSpace();
        }
    }

    private Refusal shortOfSpace() {
        return new Refusal(Refusal.Kind.NO_SPACE, "The server is short of disk space (under " + mib(minFreeBytes)
                + " MiB free); try again later.", null);
    }

    /**
     * Refuses, before a byte of it is written, what would leave less than the threshold free: an upload's declared
     * length, which one request would otherwise write past it.
     *
     * @throws Refusal no space
     */
    public void requireRoomFor(long bytes) {
        long usable = usable();
        if (usable < minFreeBytes) {
            throw shortOfSpace();
        }
        long room = room(usable);
        if (bytes > room) {
            throw new Refusal(Refusal.Kind.NO_SPACE, "The server has room for " + mib(Math.max(0, room))
                    + " MiB more (it keeps " + mib(minFreeBytes) + " MiB free), and this upload is " + mib(bytes)
                    + " MiB; try again later.", null);
        }
    }

    /** Whether {@code bytes} more fit, as {@link #requireRoomFor} counts. */
    public boolean hasRoomFor(long bytes) {
        long usable = usable();
        return usable >= minFreeBytes && bytes <= room(usable);
    }

    private long room(long usable) {
        return usable - minFreeBytes - held.stream().mapToLong(Held::unwritten).sum();
    }

    /**
     * As {@link #requireRoomFor} (which counts what the uploads under way in this process have yet to write), then
     * holds {@code bytes} of room, less what {@code written} says was written, until the returned reservation is
     * closed: uploads that each fit alone do not fill the disk together.
     *
     * @throws Refusal no space
     */
    public synchronized Reservation reserve(long bytes, LongSupplier written) {
        requireRoomFor(bytes);
        Held room = new Held(bytes, written);
        held.add(room);
        return room;
    }

    /** Whether a failure's words (a program's errors, an I/O exception's message) say a disk or a quota is full. */
    public static boolean saysFull(String words) {
        return words != null && (words.contains("No space left on device") || words.contains("Disk quota exceeded"));
    }

    private static long mib(long bytes) {
        return bytes / (1 << 20);
    }
}
