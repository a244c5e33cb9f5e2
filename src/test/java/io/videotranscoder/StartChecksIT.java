package io.videotranscoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.videotranscoder.process.StartRefusal;
import io.videotranscoder.support.RedisServer;
import io.videotranscoder.support.TestApp;
import org.apache.camel.util.ObjectHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Folders the service cannot write stop its start with the line an operator acts on (Main logs a refusal as that one
 * line: UnsupportedPlatformIT), instead of a stack trace, or a start that fails every upload later.
 */
class StartChecksIT {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer(4);

    @TempDir
    Path root;

    private StartRefusal refusalOf(Path dataDir, Map<String, String> settings) {
        Exception failure = assertThrows(Exception.class, () -> TestApp.start(dataDir, settings).close());
        StartRefusal refusal = ObjectHelper.getException(StartRefusal.class, failure);
        assertNotNull(refusal, () -> "a refusal, not " + failure);
        return refusal;
    }

    @Test
    void a_data_root_that_cannot_be_written_names_transcoder_data_dir() throws Exception {
        Path file = Files.writeString(root.resolve("videos"), "a file where the folder should be");

        StartRefusal embedded = refusalOf(file, Map.of());
        StartRefusal external = refusalOf(file, Map.of("transcoder.redis-url", REDIS.url()));

        assertEquals("Cannot write in " + file.resolve(".redis") + " (Not a directory): set TRANSCODER_DATA_DIR to a "
                     + "folder the service may write.", embedded.getMessage());
        assertEquals("Cannot write in " + file + " (" + file + " is a file, not a folder): set TRANSCODER_DATA_DIR to "
                     + "a folder the service may write.", external.getMessage());
    }

    @Test
    void a_cache_that_cannot_be_written_names_transcoder_cache_dir() throws Exception {
        Path file = Files.writeString(root.resolve("cache"), "a file where the folder should be");

        StartRefusal refusal = refusalOf(root.resolve("videos"), Map.of("transcoder.cache-dir", file.toString()));

        assertTrue(refusal.getMessage().startsWith("Cannot unpack redis-7.0.15-"), refusal.getMessage());
        assertTrue(refusal.getMessage().endsWith(" into the cache folder " + file + " (" + file + " is a file, not a "
                                                 + "folder): set TRANSCODER_CACHE_DIR to a folder the service may "
                                                 + "write."), refusal.getMessage());
    }
}
