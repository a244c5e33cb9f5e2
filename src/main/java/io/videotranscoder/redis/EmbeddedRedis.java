package io.videotranscoder.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.videotranscoder.process.ChildProcess;
import io.videotranscoder.process.UnpackedOnce;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.commons.io.file.PathUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisExecProvider;
import redis.embedded.util.OsArchitecture;

/**
 * A private Redis 7 server (the binary shipped by embedded-redis, unpacked once into the cache) for a machine where
 * none is configured. It listens on loopback on a free port, keeps its data under the data root, and dies with the
 * JVM: it is started under {@code setpriv --pdeathsig KILL} from a thread that lives as long as the server
 * ({@link RedisKeeper}), so even a kill -9 of the JVM takes it down; a server left by an older run (pid file) is
 * stopped first. The keeper also starts a server that dies while the service runs again, on the same port and the
 * same append-only file, so the clients reconnect by themselves and no job is lost.
 * <p>
 * It asks for a password that only its folder holds (its configuration file and the address file the {@code keys}
 * command reads, both the service's user's alone): a loopback port is open to every local process, and its data signs
 * admin tokens. The password is made at the folder's first start and kept, so a server started again on the same
 * folder takes its clients back; it is on no command line and in no log line.
 */
public class EmbeddedRedis extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final String SERVER = "redis-server";

    private final RedisFolder folder;
    private final Path cacheRoot;
    private final String password;
    private int port;
    private RedisKeeper keeper;
    private FileLock owner;

    /**
     * @param dir       the server's own folder: its append-only file, pid file and log
     * @param cacheRoot where the binary is unpacked once ({@code transcoder.cache-dir})
     */
    public EmbeddedRedis(Path dir, Path cacheRoot) {
        this(dir, 0, cacheRoot);
    }

    /** @param port where to listen; 0 for a free port */
    public EmbeddedRedis(Path dir, int port, Path cacheRoot) {
        this.folder = new RedisFolder(dir);
        this.port = port;
        this.cacheRoot = cacheRoot;
        this.password = folder.password().orElseGet(EmbeddedRedis::newPassword);
    }

    /** Where clients connect, its password included: for no log (see {@link #address()}). */
    public String url() {
        return "redis://:" + password + "@127.0.0.1:" + port;
    }

    /** Where it listens, without the password: for logs. */
    public String address() {
        return "redis://127.0.0.1:" + port;
    }

    /** Where it listens: the port asked for, or the free one it took. */
    public int port() {
        return port;
    }

    @Override
    protected void doStart() throws Exception {
        folder.create();
        owner = folder.take();
        try {
            folder.stopLeftover();
            folder.forgetAddress(); // written again once this server answers
            Path binary = binary(cacheRoot);
            if (port == 0) {
                port = freePort();
            }
            List<String> command = ChildProcess.command(binary, List.of(folder.configure(password).toString(), "--port",
                    Integer.toString(port), "--bind", "127.0.0.1", "--dir", folder.dir().toAbsolutePath().toString(),
                    "--pidfile", folder.pidFile().toAbsolutePath().toString(), "--appendonly", "yes", "--appendfsync",
                    "everysec", "--save", "", "--protected-mode", "yes", "--daemonize", "no", "--logfile", ""));
            keeper = new RedisKeeper(command, folder.log(), address());
            keeper.start();
            awaitReady(Duration.ofSeconds(30));
            keeper.answered();
            folder.writeAddress(url());
        } catch (Exception | Error e) {
            doStop(); // a start that failed holds neither the folder nor a server
            throw e;
        }
        LOG.info("Embedded Redis {} started on {} (data in {})", RedisExecProvider.redisVersion, address(),
                folder.dir());
    }

    private static String newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * The redis-server for this machine, from {@code cacheRoot}, unpacked there first if needed. The library would copy
     * it into a new temporary folder at every start, deleted only when the JVM exits normally: 6 MB left behind by
     * every kill -9 or crash.
     */
    static Path binary(Path cacheRoot) {
        OsArchitecture platform = OsArchitecture.detect(); // as the library picks the binary
        Path dir = cacheRoot.resolve(("redis-" + RedisExecProvider.redisVersion + "-" + platform.os() + "-"
                + platform.arch()).toLowerCase(Locale.ROOT));
        UnpackedOnce.ensure(dir, List.of(SERVER), into -> {
            File extracted = RedisExecProvider.defaultProvider().get();
            try (InputStream in = Files.newInputStream(extracted.toPath())) {
                UnpackedOnce.copyExecutable(in, into.resolve(SERVER));
            } finally {
                PathUtils.deleteDirectory(extracted.toPath().getParent());
            }
        });
        return dir.resolve(SERVER);
    }

    /**
     * The address of the embedded server a running service keeps in {@code dir}, if one runs: its pid file names a
     * live redis-server, and the address it wrote beside it says where it listens. So another process (the
     * {@code keys} command) can use that server instead of starting a second one on the same files, which would stop
     * the first.
     */
    public static Optional<String> runningOn(Path dir) {
        return new RedisFolder(dir).runningAddress();
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", port),
                    DefaultJedisClientConfig.builder().password(password).timeoutMillis(500).build())) {
                // A server loading its append-only file answers LOADING until it is done.
                if ("PONG".equals(jedis.ping())) {
                    return;
                }
            } catch (RuntimeException e) {
                if (!keeper.process().isAlive()) {
                    throw new IllegalStateException("Embedded Redis exited: " + folder.logTail(), e);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Embedded Redis did not answer within " + timeout, e);
                }
            }
            Thread.sleep(50);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (keeper != null) {
            keeper.stop();
        }
        folder.forgetAddress();
        if (owner != null) {
            owner.channel().close(); // and the lock with it
            owner = null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
