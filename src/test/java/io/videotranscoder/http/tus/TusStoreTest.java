package io.videotranscoder.http.tus;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import io.videotranscoder.job.JobIds;
import io.videotranscoder.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The uploads' records in a real Redis: a finish never makes a gone upload again, and a partial record is none. */
class TusStoreTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer(2);

    private static TusStore store() {
        return new TusStore(REDIS.client(), "test:");
    }

    private static String upload(TusStore store) {
        String id = JobIds.next();
        Instant now = Instant.now();
        store.create(new TusUpload(id, 100, 100, Map.of(), "acme", null, now, now.plusSeconds(3600), null));
        return id;
    }

    /**
     * Metadata that grows as it is stored (a name whose bytes are not UTF-8, 3000 of them in base64 under the header's
     * 4096 characters, written back as U+FFFD's UTF-8, three bytes each): the upload is found, not refused at every
     * request as if its client had sent a header too long.
     */
    @Test
    void an_upload_whose_metadata_grew_as_stored_is_found() {
        TusStore store = store();
        byte[] notUtf8 = new byte[3000];
        Arrays.fill(notUtf8, (byte) 0xFF);
        Map<String, String> metadata = TusMetadata.parse("filename " + Base64.getEncoder().encodeToString(notUtf8));
        Instant now = Instant.now();
        String id = JobIds.next();
        assertTrue(store.create(new TusUpload(id, 100, 0, metadata, "acme", null, now, now.plusSeconds(3600), null),
                0, now));
        assertTrue(TusMetadata.format(metadata).length() > TusMetadata.MAX_LENGTH, "grown past the header's limit");

        assertEquals(metadata, store.find(id).orElseThrow().metadata());
    }

    /** The key that created an upload is its owner, known by the count it is kept in (uploads stored before too). */
    @Test
    void an_upload_knows_the_key_that_created_it() {
        TusStore store = store();
        Instant now = Instant.now();
        String id = JobIds.next();
        assertTrue(store.create(new TusUpload(id, 100, 0, Map.of(), "acme", "0123456789abcdef", now,
                now.plusSeconds(3600), null), 5, now));
        assertEquals("0123456789abcdef", store.find(id).orElseThrow().owner());

        REDIS.client().hdel("test:upload:" + id, "owner");
        assertEquals("0123456789abcdef", store.find(id).orElseThrow().owner(), "from its count's key");
        assertEquals(null, store.find(upload(store)).orElseThrow().owner(), "none for an upload no key made");
    }

    @Test
    void a_finish_marks_the_upload_and_keeps_its_expiry() {
        TusStore store = store();
        String id = upload(store);
        assertTrue(store.finish(id, "job-1"));
        assertEquals("job-1", store.find(id).orElseThrow().job());
        assertTrue(REDIS.client().pttl("test:upload:" + id) > 0, "it still expires");
    }

    /** A DELETE, or the upload's expiry, while its job was made: the upload stays gone, not a hash that never expires. */
    @Test
    void a_finish_after_the_upload_was_terminated_leaves_it_gone() {
        TusStore store = store();
        String id = upload(store);
        store.delete(id);
        assertFalse(store.finish(id, "job-1"));
        assertFalse(REDIS.client().exists("test:upload:" + id));
        assertTrue(store.find(id).isEmpty());
    }

    /** What a finish that made a terminated upload's hash again left (before it checked): asked for, it is none. */
    @Test
    void a_record_missing_its_fields_is_no_upload() {
        TusStore store = store();
        String id = JobIds.next();
        REDIS.client().hset("test:upload:" + id, "job", "job-1");
        assertTrue(store.find(id).isEmpty());
    }

    /** A writer whose lock another request took moves nothing, even where the offset is still the one it began at. */
    @Test
    void only_the_holder_of_the_write_lock_moves_the_offset() {
        TusStore store = store();
        Instant now = Instant.now();
        String id = JobIds.next();
        store.create(new TusUpload(id, 100, 0, Map.of(), "acme", null, now, now.plusSeconds(3600), null));
        assertFalse(store.advance(id, "no-one", 0, 40, now.plusSeconds(3600)), "no lock held");
        assertTrue(store.lock(id, "another", 10_000));
        assertFalse(store.advance(id, "the-first", 0, 40, now.plusSeconds(3600)), "another's lock");
        assertEquals(0, store.find(id).orElseThrow().offset());
        assertTrue(store.advance(id, "another", 0, 60, now.plusSeconds(3600)));
        assertEquals(60, store.find(id).orElseThrow().offset());
    }

    /**
     * A PATCH still streaming when the upload's expiry comes (a large file on a slow link) renews its lock, and the
     * upload lives on with it: its bytes, once in, advance the offset instead of finding the upload gone.
     */
    @Test
    void an_upload_lives_on_while_a_request_holds_its_lock() {
        TusStore store = store();
        Instant now = Instant.now();
        String id = JobIds.next();
        String key = "00000000000000bb"; // which may have one unfinished upload
        assertTrue(store.create(new TusUpload(id, 100, 0, Map.of(), "acme", key, now, now.plusMillis(300), null), 1,
                now));
        String unheld = JobIds.next(); // expiring at the same moment, without a request holding it
        store.create(new TusUpload(unheld, 100, 0, Map.of(), "acme", null, now, now.plusMillis(300), null));
        assertTrue(store.lock(id, "writer", 10_000));

        assertTrue(store.renew(id, "writer", 10_000));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.find(unheld).isEmpty()); // past the expiry

        assertTrue(store.find(id).orElseThrow().expiresAt().isAfter(Instant.now()), "its expiry moved on with it");
        Instant later = Instant.now();
        assertFalse(store.create(new TusUpload(JobIds.next(), 100, 0, Map.of(), "acme", key, later,
                later.plusSeconds(60), null), 1, later), "it still counts among its key's unfinished uploads");
        assertTrue(store.advance(id, "writer", 0, 40, Instant.now().plusSeconds(3600)), "the upload is still there");
        assertEquals(40, store.find(id).orElseThrow().offset());
    }

    /** A key's count of unfinished uploads expires with the last of them: a key that uploads no more leaves nothing. */
    @Test
    void a_keys_count_of_unfinished_uploads_expires_with_the_last_of_them() {
        TusStore store = store();
        Instant now = Instant.now();
        String first = JobIds.next();
        String second = JobIds.next();
        assertTrue(store.create(new TusUpload(first, 100, 0, Map.of(), "acme", "00000000000000aa", now,
                now.plusSeconds(600), null), 5, now));
        assertTrue(store.create(new TusUpload(second, 100, 0, Map.of(), "acme", "00000000000000aa", now,
                now.plusSeconds(60), null), 5, now));
        String open = "test:uploads-open:00000000000000aa";
        assertEquals(now.plusSeconds(600).toEpochMilli(), REDIS.client().pexpireTime(open), "the last to expire");

        assertTrue(store.lock(first, "writer", 10_000));
        assertTrue(store.advance(first, "writer", 0, 50, now.plusSeconds(1200)));
        assertEquals(now.plusSeconds(1200).toEpochMilli(), REDIS.client().pexpireTime(open), "moved on with it");
    }
}
