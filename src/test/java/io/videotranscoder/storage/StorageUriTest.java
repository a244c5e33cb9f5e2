package io.videotranscoder.storage;

import io.videotranscoder.process.StartRefusal;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageUriTest {

    @Test
    void blank_is_the_local_data_root() {
        assertTrue(StorageUri.parse("").local());
        assertTrue(StorageUri.parse(null).local());
        assertEquals("local", StorageUri.parse(" ").routes());
    }

    @Test
    void an_s3_uri_names_the_bucket_and_a_prefix_ending_in_a_slash() {
        assertEquals(new StorageUri("media", "jobs/video/"), StorageUri.parse("s3://media/jobs/video"));
        assertEquals(new StorageUri("media", "jobs/"), StorageUri.parse("s3://media/jobs/"));
        assertEquals(new StorageUri("media", ""), StorageUri.parse("s3://media"));
        assertEquals("s3", StorageUri.parse("s3://media").routes());
    }

    @Test
    void anything_else_is_refused_with_the_setting_named() {
        for (String wrong : new String[] {"/data/videos", "http://media/jobs", "s3://Media/jobs", "s3:///jobs"}) {
            StartRefusal e = assertThrows(StartRefusal.class, () -> StorageUri.parse(wrong));
            assertTrue(e.getMessage().startsWith("TRANSCODER_STORAGE must be"), e.getMessage());
        }
    }
}
