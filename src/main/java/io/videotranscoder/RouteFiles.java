package io.videotranscoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The flows in {@code routes/*.camel.yaml}, named one by one for camel.main.routes-include-pattern. Camel resolves a
 * wildcard in a jar by reading the whole jar through, and ours holds FFmpeg (97 MB): 1.5 s of CPU at every start.
 * The jar's directory lists them at once.
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
        try (FileSystem jar = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location);
             Stream<Path> files = Files.list((jar == null ? location : jar.getPath("/")).resolve(FOLDER))) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(SUFFIX)).sorted()
                    .map(name -> "classpath:" + FOLDER + "/" + name).collect(Collectors.joining(","));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
