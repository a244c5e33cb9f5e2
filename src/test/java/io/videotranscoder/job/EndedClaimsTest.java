package io.videotranscoder.job;

import java.time.Instant;
import java.util.List;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.job.EndedClaims.Claim;
import io.videotranscoder.job.EndedClaims.State;
import io.videotranscoder.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** One claimant alone records an ended job's fact, against a real Redis. */
class EndedClaimsTest {

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(2);

    private final String prefix = "claims:" + System.nanoTime() + ":";
    private final JobStore store = new JobStore(SERVER.client(), prefix);
    private final EndedClaims claims = new EndedClaims(store);

    @Test
    void the_first_claim_stands_and_only_its_claimant_changes_it() {
        String id = job(JobStatus.SUCCEEDED);
        assertEquals(new Claim(State.OPEN, "", ""), claims.current(id, "to"));

        assertEquals(new Claim(State.RECORDED, "a", "one"), claims.claim(id, "to", "a", "one"));
        assertEquals(new Claim(State.RECORDED, "a", "one"), claims.claim(id, "to", "b", "two"));
        assertEquals(new Claim(State.RECORDED, "a2", "one"), claims.claim(id, "to", "a2", "one"));
        assertEquals(new Claim(State.RECORDED, "a2", "one"), claims.current(id, "to"));
    }

    @Test
    void a_stale_claim_is_replaced_once() {
        String id = job(JobStatus.SUCCEEDED);
        claims.claim(id, "to", "a", "one");

        assertEquals(new Claim(State.RECORDED, "b", "two"), claims.replace(id, "to", "b", "two", "one"));
        assertEquals(new Claim(State.RECORDED, "b", "two"), claims.replace(id, "to", "c", "three", "one"));
    }

    @Test
    void a_value_recorded_without_a_claimant_is_replaced_only_as_the_empty_claimant_s() {
        String id = job(JobStatus.SUCCEEDED);
        SERVER.client().hset(prefix + "job:" + id, "to", "a");

        assertEquals(new Claim(State.RECORDED, "a", ""), claims.claim(id, "to", "b", "two"));
        assertEquals(new Claim(State.RECORDED, "b", "two"), claims.replace(id, "to", "b", "two", ""));
    }

    @Test
    void nothing_is_recorded_of_a_job_that_runs_or_was_removed() {
        String running = job(JobStatus.RUNNING);
        assertEquals(State.LIVE, claims.claim(running, "to", "a", "one").state());
        assertNull(SERVER.client().hget(prefix + "job:" + running, "to"));

        String removed = job(JobStatus.SUCCEEDED);
        store.delete(removed);
        assertEquals(State.GONE, claims.claim(removed, "to", "a", "one").state());
        assertEquals(List.of(), List.copyOf(SERVER.client().hkeys(prefix + "job:" + removed)));
    }

    /** A full Redis (maxmemory, noeviction) refuses writes, but not this one: a job's removal waits on its result. */
    @Test
    void a_claim_is_recorded_while_redis_is_full() {
        String id = job(JobStatus.SUCCEEDED);
        SERVER.client().sendCommand(Protocol.Command.CONFIG, "SET", "maxmemory", "1");
        try {
            assertThrows(JedisDataException.class, () -> SERVER.client().set(prefix + "other", "x"), "Redis is full");

            assertEquals(State.RECORDED, claims.claim(id, "to", "a", "one").state());
        } finally {
            SERVER.client().sendCommand(Protocol.Command.CONFIG, "SET", "maxmemory", "0");
        }
    }

    private String job(JobStatus status) {
        String id = JobIds.next();
        store.create(new Job(id, status, "inbox", "default", "trip.mp4", TranscodeOptions.DEFAULT.toPreset(),
                "input.mp4", 5, Instant.now(), Instant.now(), Instant.now(), 1, null, null, List.of(),
                Job.Progress.NONE, null));
        return id;
    }
}
