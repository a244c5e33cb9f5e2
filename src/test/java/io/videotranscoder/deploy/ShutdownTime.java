package io.videotranscoder.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The longest the service takes to stop, read from its own files: Camel's shutdown timeout or the JVM's hold. */
final class ShutdownTime {

    private ShutdownTime() {
    }

    static int longestSeconds() throws IOException {
        Properties settings = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            settings.load(in);
        }
        int camel = Integer.parseInt(settings.getProperty("camel.main.shutdown-timeout").trim());
        Matcher hold = Pattern.compile("SHUTDOWN_LIMIT = Duration.ofSeconds\\((\\d+)\\)")
                .matcher(Files.readString(Path.of("src/main/java/io/videotranscoder/Main.java")));
        if (!hold.find()) {
            throw new IllegalStateException("Main.SHUTDOWN_LIMIT not found");
        }
        return Math.max(camel, Integer.parseInt(hold.group(1)));
    }
}
