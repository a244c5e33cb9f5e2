package io.videotranscoder.ffmpeg;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import io.videotranscoder.process.UnpackedOnce;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ffmpeg and ffprobe executables shipped in {@code org.bytedeco:ffmpeg:...:linux-x86_64-gpl}, unpacked once into a
 * cache folder with their shared libraries (they find them through their {@code $ORIGIN} run path).
 */
public final class BundledFfmpeg {

    private static final Logger LOG = LoggerFactory.getLogger(BundledFfmpeg.class);
    private static final String PREFIX = "org/bytedeco/ffmpeg/linux-x86_64-gpl/";
    private static final String VERSION = "6.1.1-1.5.10";

    private BundledFfmpeg() {
    }

    /**
     * The folder holding {@code ffmpeg} and {@code ffprobe}, unpacking it first when needed.
     *
     * @throws UnsupportedPlatform on a machine the bundled executables cannot run on
     * @throws io.videotranscoder.process.StartRefusal when the cache folder cannot be written
     */
    public static Path unpack(Path cacheRoot) {
        requireSupported(System.getProperty("os.name"), System.getProperty("os.arch"));
        Path target = cacheRoot.resolve("ffmpeg-" + VERSION);
        long started = System.nanoTime();
        if (UnpackedOnce.ensure(target, List.of("ffmpeg", "ffprobe"), BundledFfmpeg::copyBundled)) {
            LOG.info("Unpacked the bundled FFmpeg {} to {} in {} ms", VERSION, target,
                    (System.nanoTime() - started) / 1_000_000);
        }
        return target;
    }

    /** Copies the executables and their libraries from the jar (or, in a build, from their folder) into {@code dir}. */
    private static void copyBundled(Path dir) throws IOException {
        URL marker = BundledFfmpeg.class.getClassLoader().getResource(PREFIX + "ffmpeg");
        if (marker == null) {
            throw new UnsupportedPlatform("The jar has no bundled FFmpeg: install FFmpeg and set FFMPEG_PATH to its "
                    + "ffmpeg (and FFPROBE_PATH unless ffprobe is beside it).");
        }
        if ("jar".equals(marker.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) marker.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                for (JarEntry entry : Collections.list(jar.entries())) {
                    if (entry.getName().startsWith(PREFIX) && !entry.isDirectory()) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            UnpackedOnce.copyExecutable(in, dir.resolve(entry.getName().substring(PREFIX.length())));
                        }
                    }
                }
            }
        } else {
            try (var files = Files.list(Path.of(toUri(marker)).getParent())) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    try (InputStream in = Files.newInputStream(file)) {
                        UnpackedOnce.copyExecutable(in, dir.resolve(file.getFileName().toString()));
                    }
                }
            }
        }
    }

    /**
     * The bundled executables are built for Linux on x86-64 only (Java names it {@code amd64}); anywhere else they
     * would fail with an obscure exec error on the first job, so the service refuses to start, saying what to set.
     */
    static void requireSupported(String osName, String osArch) {
        boolean linux = osName != null && osName.toLowerCase(Locale.ROOT).startsWith("linux");
        boolean x86 = "amd64".equals(osArch) || "x86_64".equals(osArch);
        if (!linux || !x86) {
            throw new UnsupportedPlatform("The bundled FFmpeg runs on linux-x86_64 only, not on " + osName + " "
                    + osArch + ": install FFmpeg and set FFMPEG_PATH to its ffmpeg (and FFPROBE_PATH unless ffprobe "
                    + "is beside it).");
        }
    }

    private static URI toUri(URL url) throws IOException {
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
