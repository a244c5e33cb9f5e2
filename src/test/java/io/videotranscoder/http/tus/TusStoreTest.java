package io.videotranscoder.http.tus;

import java.time.Instant;
import java.util.Map;

import io.videotranscoder.job.JobIds;
import io.videotranscoder.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
}
