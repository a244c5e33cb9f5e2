package io.videotranscoder.job;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.refusal.Refusal;
import io.videotranscoder.storage.S3Storage;
import io.videotranscoder.storage.Storage;
import io.videotranscoder.storage.StorageUri;
import io.videotranscoder.support.RedisServer;
import io.videotranscoder.support.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a submission killed between storing its input in an object store and recording its job leaves is removed, and
 * only that: against a real Redis and a real S3 server (S3Proxy).
 */
class PendingInputsTest {

    private static final String PREFIX = "pending/";

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(2);
    @TempDir
    static Path root;
    private static S3Server s3;
    private JobStore store;
    private S3Storage storage;

    @BeforeAll
    static void startStore() throws Exception {
        s3 = S3Server.start(root.resolve("s3"));
    }

    @AfterAll
    static void stopStore() throws Exception {
        s3.close();
    }

    @BeforeEach
    void store() {
        store = new JobStore(SERVER.client(), "pending:" + System.nanoTime() + ":");
        storage = new S3Storage(s3.client(), null, StorageUri.parse("s3://" + S3Server.BUCKET + "/" + PREFIX));
    }

    @Test
    void the_input_of_a_submission_that_never_recorded_its_job_is_removed_once_old_enough() {
        String id = stored(new PendingInputs(store, storage, Duration.ZERO));

        assertEquals(0, new PendingInputs(store, storage, Duration.ofHours(1)).sweep(), "not yet: it may be under way");
        assertEquals(List.of(PREFIX + id + "/input.mp4"), s3.keys(PREFIX + id + "/"));

        assertEquals(1, new PendingInputs(store, storage, Duration.ZERO).sweep());
        assertEquals(List.of(), s3.keys(PREFIX + id + "/"));
        assertEquals(0, new PendingInputs(store, storage, Duration.ZERO).sweep(), "removed once");
    }

    @Test
    void a_recorded_jobs_input_stays() {
        PendingInputs pending = new PendingInputs(store, storage, Duration.ZERO);
        String id = stored(pending);

        store.create(job(id), JobOwner.keyless("default"), false, true);

        assertEquals(0, pending.sweep());
        assertEquals(List.of(PREFIX + id + "/input.mp4"), s3.keys(PREFIX + id + "/"));
    }

    /** A submission that outlived its note (its process paused past the age): its input is gone, so no job is made. */
    @Test
    void a_submission_whose_input_was_given_up_records_no_job() {
        PendingInputs pending = new PendingInputs(store, storage, Duration.ZERO);
        String id = stored(pending);
        assertEquals(1, pending.sweep());

        Refusal refused = assertThrows(Refusal.class, () -> store.create(job(id), JobOwner.keyless("default"), false,
                true));

        assertEquals(Refusal.Kind.UNAVAILABLE, refused.kind());
        assertTrue(store.find(id).isEmpty());
        assertEquals(0, SERVER.client().xlen(store.keys().queue()), "nothing queued");
    }

    /** A job refused for its key's quota keeps its note: what its submission stored is removed all the same. */
    @Test
    void a_job_refused_for_its_quota_keeps_its_note() {
        String id = stored(new PendingInputs(store, storage, Duration.ZERO));
        SERVER.client().sadd(store.keys().activeJobs() + "key-1", JobIds.next());

        Refusal refused = assertThrows(Refusal.class, () -> store.create(job(id), new JobOwner("acme", "key-1", 1),
                false, true));

        assertEquals(Refusal.Kind.QUOTA_EXCEEDED, refused.kind());
        assertEquals(1, new PendingInputs(store, storage, Duration.ZERO).sweep());
        assertEquals(List.of(), s3.keys(PREFIX + id + "/"));
    }

    /** A key the store refuses to remove keeps its note for a later sweep, and the notes after it have their turn. */
    @Test
    void a_note_whose_input_the_store_refuses_to_remove_holds_up_no_other() {
        String refused = stored(new PendingInputs(store, storage, Duration.ZERO));
        SERVER.client().zadd(store.keys().pendingInputs(), 1, refused); // the oldest: swept first
        String other = stored(new PendingInputs(store, storage, Duration.ZERO));
        PendingInputs pending = new PendingInputs(store, failing(refused, S3Exception.builder().statusCode(403)
                .message("Access Denied").build(), null), Duration.ZERO);

        assertEquals(1, pending.sweep());

        assertEquals(List.of(), s3.keys(PREFIX + other + "/"));
        assertEquals(List.of(PREFIX + refused + "/input.mp4"), s3.keys(PREFIX + refused + "/"));
        assertTrue(SERVER.client().zscore(store.keys().pendingInputs(), refused) > 1, "noted again, for later");
    }

    /**
     * The store away while a note's input was removed, and the job recorded meanwhile (a resumable upload's job takes
     * the upload's id, and its client tried again): the note is not put back, so no later sweep removes a job's input.
     */
    @Test
    void a_note_whose_job_was_recorded_meanwhile_is_not_put_back() {
        String id = stored(new PendingInputs(store, storage, Duration.ZERO));
        PendingInputs pending = new PendingInputs(store, failing(id, SdkClientException.create("Connection refused"),
                () -> store.create(job(id), JobOwner.keyless("default"), false, false)), Duration.ZERO);

        assertEquals(0, pending.sweep());

        assertNull(SERVER.client().zscore(store.keys().pendingInputs(), id));
        assertEquals(List.of(PREFIX + id + "/input.mp4"), s3.keys(PREFIX + id + "/"));
    }

    /** The store, but its removal of job {@code id}'s objects fails with {@code failure}, after {@code meanwhile}. */
    private Storage failing(String id, RuntimeException failure, Runnable meanwhile) {
        return (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("deleteJob") && id.equals(args[0])) {
                        if (meanwhile != null) {
                            meanwhile.run();
                        }
                        throw failure;
                    }
                    return method.invoke(storage, args);
                });
    }

    /** A submission's steps up to its record: the note, then the input stored whole. */
    private String stored(PendingInputs pending) {
        String id = JobIds.next();
        pending.note(id);
        s3.client().putObject(b -> b.bucket(S3Server.BUCKET).key(PREFIX + id + "/input.mp4"),
                RequestBody.fromString("a video"));
        return id;
    }

    private static Job job(String id) {
        return Job.queued(id, "api", "default", "clip.mp4", TranscodeOptions.DEFAULT.toPreset(), "input.mp4", 7,
                Instant.now());
    }
}
