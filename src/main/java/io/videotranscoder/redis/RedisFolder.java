package io.videotranscoder.redis;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import io.videotranscoder.process.StartRefusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The folder of an embedded Redis server: its data, its log, and the pid file that names a server still running. */
record RedisFolder(Path dir) {

    private static final Logger LOG = LoggerFactory.getLogger(RedisFolder.class);
    private static final String REQUIREPASS = "requirepass ";

    /**
     * Makes the folder, the service's user's alone: the append-only file holds the jobs, the keys' digests, the
     * webhooks' secrets and the event tokens' signing key, beside the server's password, and another user of the
     * machine must not read them (a folder made with the usual umask, 022, lets every user read what is in it).
     */
    void create() throws IOException {
        Files.createDirectories(dir);
        ownerOnly(dir, "rwx------");
    }

    private static void ownerOnly(Path path, String permissions) throws IOException {
        if (Files.getFileStore(path).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }

    File log() {
        return dir.resolve("redis.log").toFile();
    }

    Path pidFile() {
        return dir.resolve("redis.pid");
    }

    /**
     * The folder taken for this process while the lock lives: a second service started on the same data (the same
     * command run twice) would kill the first one's server as a leftover, and two servers would write one
     * append-only file. The system releases the lock when its process dies, kill -9 included.
     *
     * @throws StartRefusal when another process holds it
     */
    FileLock take() throws IOException {
        FileChannel channel = FileChannel.open(dir.resolve("owner.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // this JVM's own
        }
        if (lock == null) {
            channel.close();
            throw new StartRefusal("The embedded Redis in " + dir.toAbsolutePath() + " belongs to a video-transcoder "
                    + "that is running: stop that one first, or give this one its own TRANSCODER_DATA_DIR (or, to "
                    + "share its Redis, REDIS_URL set to the address in " + addressFile().toAbsolutePath()
                    + ", its password included).");
        }
        return lock;
    }

    /**
     * A server still running from an earlier JVM (one that could not take it down, where there is no setpriv) holds
     * the data folder. Called with the folder {@linkplain #take taken}, so no live service owns that server.
     */
    void stopLeftover() throws IOException {
        Path pidFile = pidFile();
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle.of(pid)
                    .filter(h -> h.info().command().map(c -> c.contains("redis-server")).orElse(false))
                    .ifPresent(h -> {
                        LOG.warn("Stopping embedded Redis (pid {}) left over from an earlier run", pid);
                        h.destroyForcibly();
                        h.onExit().join();
                    });
        } catch (NumberFormatException e) {
            // Not ours to interpret: a fresh server rewrites it.
        }
        Files.deleteIfExists(pidFile);
    }

    /** The server's configuration file: its password (a server's arguments are readable by every user). */
    private Path configuration() {
        return dir.resolve("redis.conf");
    }

    /** The password a server started on this folder before asked for, if one did. */
    Optional<String> password() {
        try {
            return Files.readAllLines(configuration()).stream().filter(l -> l.startsWith(REQUIREPASS))
                    .map(l -> l.substring(REQUIREPASS.length()).strip()).filter(p -> !p.isEmpty()).findFirst();
        } catch (IOException e) {
            return Optional.empty(); // none yet: a new one is made
        }
    }

    /** Writes the configuration, for the service's user alone, and returns its absolute path. */
    Path configure(String password) throws IOException {
        return writeOwnerOnly(configuration(), REQUIREPASS + password + "\n").toAbsolutePath();
    }

    /** Where a started server's address is written, beside its pid file. */
    private Path addressFile() {
        return dir.resolve("redis.url");
    }

    /** Written for the service's user alone: the address holds the server's password. */
    void writeAddress(String url) throws IOException {
        writeOwnerOnly(addressFile(), url);
    }

    /** {@code text} in {@code file}, made anew with the owner's permissions alone before anything is written. */
    private static Path writeOwnerOnly(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file);
        ownerOnly(file, "rw-------");
        return Files.writeString(file, text);
    }

    void forgetAddress() throws IOException {
        Files.deleteIfExists(addressFile());
    }

    /** The address of the live server the pid file names; empty when none runs, or one still starting. */
    Optional<String> runningAddress() {
        try {
            long pid = Long.parseLong(Files.readString(pidFile()).trim());
            boolean live = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .flatMap(h -> h.info().command()).map(c -> c.contains("redis-server")).orElse(false);
            return live ? Optional.of(Files.readString(addressFile()).trim()) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The last lines of the log: why a server that would not start stopped. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log().toPath(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
