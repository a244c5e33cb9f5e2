package io.videotranscoder.job;

import java.time.Duration;
import java.util.List;

import io.videotranscoder.redis.RedisClockLua;
import io.videotranscoder.storage.Storage;
import io.videotranscoder.storage.StoreFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Inputs stored into an object store before their jobs are recorded. A submission notes its job here, by Redis's
 * clock, before it stores the input; the job's record takes the note away in the same script. A process killed
 * between the two (the input whole in the store, no record) leaves the note: housekeeping removes what the store
 * holds for it once it is older than a submission may take, the longest an upload into the store may stay unfinished
 * ({@code TRANSCODER_S3_UPLOAD_EXPIRY_HOURS}). Taking the note is the claim: a submission that outlived it (a process
 * paused for that long) finds it gone, and its record is refused rather than made for an input given up.
 */
public class PendingInputs {

    private static final Logger LOG = LoggerFactory.getLogger(PendingInputs.class);
    /** Noted by Redis's clock, which every instance shares (hosts' clocks may differ by more than a sweep's period). */
    private static final String NOTE = RedisClockLua.NOW + """
            redis.call('ZADD', KEYS[1], now, ARGV[1])
            return 1""";
    /** The notes older than ARGV[1] milliseconds, at most ARGV[2] of them. */
    private static final String OLD = RedisClockLua.NOW + """
            return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]), 'LIMIT', 0, ARGV[2])""";
    /**
     * A note taken whose input could not be removed is put back, unless its job was recorded meanwhile (a resumable
     * upload's job takes the upload's id: its client's next try) or it was noted anew: for the next sweep (ARGV[2]
     * {@code next}: the store away), or for one a whole age later (the store refuses that key: the notes after it
     * have their turn).
     */
    private static final String AGAIN = RedisClockLua.NOW + """
            if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
            local score = ARGV[2] == 'next' and 0 or now
            return redis.call('ZADD', KEYS[1], 'NX', score, ARGV[1])""";
    /** Notes looked at per sweep: more wait for the next one. */
    static final int PER_SWEEP = 100;

    private final UnifiedJedis redis;
    private final JobKeys keys;
    private final Storage storage;
    private final Duration age;

    /** @param age how long a submission may take at most, from its note to its record */
    public PendingInputs(JobStore store, Storage storage, Duration age) {
        this.redis = store.redis();
        this.keys = store.keys();
        this.storage = storage;
        this.age = age;
    }

    /** Whether submissions note their inputs: only into an object store (local folders have their own sweep). */
    boolean noted() {
        return !storage.local();
    }

    /** Notes that job {@code id}'s input is about to be stored, before its record. */
    void note(String id) {
        redis.eval(NOTE, List.of(keys.pendingInputs()), List.of(id));
    }

    /**
     * Housekeeping's step: removes from the store what submissions that never recorded their job left, taking each
     * note first (another instance may sweep at the same moment).
     *
     * @return how many were removed
     */
    public int sweep() {
        if (!noted()) {
            return 0;
        }
        @SuppressWarnings("unchecked")
        List<String> old = (List<String>) redis.eval(OLD, List.of(keys.pendingInputs()),
                List.of(Long.toString(age.toMillis()), Integer.toString(PER_SWEEP)));
        int removed = 0;
        for (String id : old) {
            if (redis.zrem(keys.pendingInputs(), id) == 0) {
                continue; // recorded meanwhile, or taken by another instance's sweep
            }
            try {
                storage.deleteJob(id);
                removed++;
                LOG.info("Job {} was never recorded: the input its submission stored is removed", id);
            } catch (RuntimeException e) {
                boolean away = StoreFailures.passing(e).isPresent();
                redis.eval(AGAIN, List.of(keys.pendingInputs(), keys.job(id)), List.of(id, away ? "next" : "later"));
                LOG.warn("The input of job {}, never recorded, could not be removed: {}", id, e.getMessage());
                if (away) {
                    break; // the notes after it would fail the same
                }
            }
        }
        return removed;
    }
}
