package io.videotranscoder.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Programs of the machine some tests use, where installed (CI installs them). */
public final class Tools {

    private Tools() {
    }

    public static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }
}
