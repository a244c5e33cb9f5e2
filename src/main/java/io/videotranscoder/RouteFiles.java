package io.videotranscoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The flows in {@code routes/*.camel.yaml}, named one by one for camel.main.routes-include-pattern. Camel resolves a
 * wildcard in a jar by reading the whole jar through, and ours holds FFmpeg (97 MB): 1.5 s of CPU at every start.
 * The jar's central directory names them, read once already by the class loader (a zip file system over the same jar
 * builds a tree of its 36 000 entries: about 0.1 s of CPU more at every start).
 */
final class RouteFiles {

    private static final String FOLDER = "routes";
    private static final String SUFFIX = ".camel.yaml";

    private RouteFiles() {
    }

    /** {@code classpath:routes/a.camel.yaml,classpath:routes/b.camel.yaml,...} from the jar or classes folder. */
    static String flows() {
        Path location;
        try {
            location = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try {
            return names(location).stream().filter(name -> name.endsWith(SUFFIX)).sorted()
                    .map(name -> "classpath:" + FOLDER + "/" + name).collect(Collectors.joining(","));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names of the files right in the routes folder of a classes folder or a jar. */
    private static List<String> names(Path location) throws IOException {
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.list(location.resolve(FOLDER))) {
                return files.map(file -> file.getFileName().toString()).toList();
            }
        }
        String prefix = FOLDER + "/";
        try (ZipFile jar = new ZipFile(location.toFile())) {
            return jar.stream().map(ZipEntry::getName).filter(name -> name.startsWith(prefix))
                    .map(name -> name.substring(prefix.length())).filter(name -> !name.contains("/")).toList();
        }
    }
}
