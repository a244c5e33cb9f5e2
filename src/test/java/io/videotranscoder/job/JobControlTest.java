package io.videotranscoder.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.videotranscoder.refusal.Refusal;
import io.videotranscoder.storage.LocalStorage;
import io.videotranscoder.support.RedisServer;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.resps.StreamEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.videotranscoder.ffmpeg.TranscodeOptions;

import static org.mockito.Mockito.mock;

/** DELETE /jobs/{id} against a real Redis, where another request changes the job between its reads. */
class JobControlTest {

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(4);

    @TempDir
    Path root;

    @Test
    void a_job_another_delete_removed_after_it_was_read_is_not_found() {
        String id = JobIds.next();
        JobStore store = new JobStore(SERVER.client(), "control:" + System.nanoTime() + ":") {
            @Override
            public Job existing(String job, Tenancy tenancy) {
                Job read = super.existing(job, tenancy);
                delete(job); // the other DELETE ends now
                return read;
            }
        };
        store.create(Job.queued(id, "api", "default", "clip.mp4", TranscodeOptions.DEFAULT
                .toPreset(), "input.mp4", 1, Instant.now()));
        JobControl control = new JobControl(store, new JobFiles(root), new LocalStorage(root), Clock.systemUTC(),
                mock(JobOriginals.class));
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setHeader("id", id);
        exchange.setProperty(Tenancy.PROPERTY, Tenancy.ANY);

        Refusal refusal = assertThrows(Refusal.class, () -> control.delete(exchange));

        assertEquals(Refusal.Kind.NOT_FOUND, refusal.kind());
    }

    @Test
    void a_queued_job_cancelled_while_its_store_is_away_is_answered_and_counted_as_cancelled() {
        String id = JobIds.next();
        JobStore store = new JobStore(SERVER.client(), "control:" + System.nanoTime() + ":");
        store.create(Job.queued(id, "api", "default", "clip.mp4", TranscodeOptions.DEFAULT
                .toPreset(), "input.mp4", 1, Instant.now()));
        LocalStorage away = new LocalStorage(root) {
            @Override
            public void deleteJob(String job) {
                throw new IllegalStateException("Unable to execute HTTP request: Connection refused");
            }
        };
        JobControl control = new JobControl(store, new JobFiles(root), away, Clock.systemUTC(),
                mock(JobOriginals.class));
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setHeader("id", id);
        exchange.setProperty(Tenancy.PROPERTY, Tenancy.ANY);

        control.cancel(exchange);

        assertEquals(JobControl.Deletion.CANCELLED, exchange.getProperty(JobControl.DELETED));
        assertEquals(JobStatus.CANCELLED, exchange.getProperty(JobWorker.OUTCOME, Outcome.class).status());
        assertEquals(JobStatus.CANCELLED, store.find(id).orElseThrow().status());
    }

    /** The retry's status change and its queue entry are one step: a failure between two writes left no entry. */
    @Test
    void a_retried_job_is_queued_with_its_entry_and_a_second_retry_adds_none() throws Exception {
        String id = JobIds.next();
        JobStore store = new JobStore(SERVER.client(), "control:" + System.nanoTime() + ":");
        store.create(Job.queued(id, "api", "default", "clip.mp4", TranscodeOptions.DEFAULT
                .toPreset(), "input.mp4", 1, Instant.now()));
        JobTransitions moves = new JobTransitions(store);
        assertTrue(moves.begin(id, "aaaaaaaa", "w", 1, Instant.now(), "1-0", "").isEmpty());
        assertTrue(moves.fail(id, "aaaaaaaa", "FFmpeg failed", Instant.now()).isEmpty());
        JobControl control = new JobControl(store, new JobFiles(root), new LocalStorage(root), Clock.systemUTC(),
                mock(JobOriginals.class));
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setHeader("id", id);
        exchange.setProperty(Tenancy.PROPERTY, Tenancy.ANY);
        Files.write(Files.createDirectories(root.resolve(id)).resolve("input.mp4"), new byte[] {1});

        control.retry(exchange);

        List<StreamEntry> entries = SERVER.client().xrange(store.keys().queue(), "-", "+");
        assertEquals(2, entries.size(), "its first entry, and the retry's");
        assertEquals(Map.of("job", id, JobTransitions.RUN, store.field(id, JobTransitions.RUN).orElseThrow()),
                entries.get(1).getFields());
        assertEquals(JobStatus.QUEUED, exchange.getProperty(JobSubmitter.JOB, Job.class).status());
        assertEquals(Refusal.Kind.WRONG_STATE, assertThrows(Refusal.class, () -> control.retry(exchange)).kind());
        assertEquals(2, SERVER.client().xlen(store.keys().queue()), "a refused retry adds no entry");
    }
}
