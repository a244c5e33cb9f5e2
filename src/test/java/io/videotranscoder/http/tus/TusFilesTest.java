package io.videotranscoder.http.tus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.videotranscoder.job.JobIds;
import io.videotranscoder.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Housekeeping's sweep of the uploads' bytes, against a real Redis and real files. */
class TusFilesTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer(2);
    @TempDir
    Path root;

    /**
     * Bytes no record of this deployment names go only once nothing wrote them for the uploads' expiry: another
     * deployment on the same data root (another key prefix) has uploads in progress whose records this one cannot see.
     */
    @Test
    void bytes_without_a_record_go_only_once_unwritten_for_the_expiry() throws Exception {
        TusStore store = new TusStore(REDIS.client(), "this:");
        TusFiles files = new TusFiles(root, store, Duration.ofHours(24));
        Path others = files.create(JobIds.next());
        Path expired = files.create(JobIds.next());
        Files.setLastModifiedTime(expired, FileTime.from(Instant.now().minus(Duration.ofHours(25))));
        String id = JobIds.next();
        Instant now = Instant.now();
        new TusStore(REDIS.client(), "this:").create(new TusUpload(id, 10, 0, Map.of(), "acme", null, now,
                now.plusSeconds(60), null));
        Path recorded = files.create(id);
        Files.setLastModifiedTime(recorded, FileTime.from(Instant.now().minus(Duration.ofHours(25))));

        files.sweep();

        assertTrue(Files.exists(others), "written within the expiry: another deployment's upload in progress");
        assertFalse(Files.exists(expired), "no record, and unwritten for longer than an upload lives");
        assertTrue(Files.exists(recorded), "its record stands");
    }
}
