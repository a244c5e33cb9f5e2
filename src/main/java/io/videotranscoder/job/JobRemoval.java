package io.videotranscoder.job;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.videotranscoder.storage.Storage;

/**
 * A job's files and record removed (DELETE of a finished job, the expiry), a user's original handed back first. The
 * job is marked first, while it is ended, so that a retry meanwhile is refused; a job retried before the mark is not
 * removed, since it is not over any more. Should the removal fail in any way, its mark goes and the job stays, to be
 * removed again or retried. Several removals of one job may run at once (two API instances, each process's
 * housekeeping): each adds a mark of its own and takes only its own away, so that one failing does not let a retry in
 * while another goes on removing the job's files; the mark of a removal stopped long ago goes with the next one's.
 */
final class JobRemoval {

    /**
     * A removal that has not ended after this long was stopped (its process killed) and will not take its mark away:
     * the next removal does, so that its failure does not leave the job marked for ever.
     */
    static final Duration STOPPED_AFTER = Duration.ofHours(1);
    /**
     * ARGV[1] the field, ARGV[2] the removal's mark ({@code <epoch millis>/<random>}), added to the marks there
     * (separated by spaces) while ended, and (when ARGV[4] is not empty) ended so, at ARGV[5] (when not empty); ARGV[3]
     * the time before which a mark was left by a stopped removal.
     */
    private static final String MARK = """
            #!lua flags=allow-oom
            local status = redis.call('HGET', KEYS[1], 'status')
            if status == 'queued' or status == 'running' then return 0 end
            if status and ARGV[4] ~= '' and status ~= ARGV[4] then return 0 end
            if status and ARGV[5] ~= '' and (redis.call('HGET', KEYS[1], 'finishedAt') or '') ~= ARGV[5] then
              return 0
            end
            if status then
              local kept = {}
              for mark in string.gmatch(redis.call('HGET', KEYS[1], ARGV[1]) or '', '%S+') do
                local since = tonumber(string.match(mark, '^(%d+)/'))
                if since and since >= tonumber(ARGV[3]) then table.insert(kept, mark) end
              end
              table.insert(kept, ARGV[2])
              redis.call('HSET', KEYS[1], ARGV[1], table.concat(kept, ' '))
            end
            return 1""";
    /** ARGV[1] the field, ARGV[2] the removal's mark, taken from the marks there; the others stay. */
    private static final String UNMARK = """
            #!lua flags=allow-oom
            local marks = redis.call('HGET', KEYS[1], ARGV[1])
            if not marks then return 0 end
            local kept = {}
            for mark in string.gmatch(marks, '%S+') do
              if mark ~= ARGV[2] then table.insert(kept, mark) end
            end
            redis.call('HSET', KEYS[1], ARGV[1], table.concat(kept, ' '))
            return 1""";

    private final JobStore store;
    private final JobFiles files;
    private final Storage storage;
    private final JobOriginals originals;
    private final Clock clock;

    JobRemoval(JobStore store, JobFiles files, Storage storage, JobOriginals originals, Clock clock) {
        this.store = store;
        this.files = files;
        this.storage = storage;
        this.originals = originals;
        this.clock = clock;
    }

    /**
     * @return false when the job was retried before it was marked: nothing was removed
     * @throws IOException      when its original could not be handed back, or its folder not removed: the job stays
     * @throws RuntimeException when its stored files could not all be removed: the job stays
     */
    boolean remove(String id) throws IOException {
        return remove(id, null, null);
    }

    /**
     * As {@link #remove(String)}, but only while the job has ended {@code status} (null: any end) at {@code endedAt}
     * (null: whenever): retention's removal of a job read as ended long ago leaves one retried since, which ended
     * again (or succeeded, and is the succeeded jobs' retention's).
     */
    boolean remove(String id, JobStatus status, Instant endedAt) throws IOException {
        Instant now = clock.instant();
        String mark = now.toEpochMilli() + "/" + UUID.randomUUID();
        if (!Long.valueOf(1).equals(store.redis().eval(MARK, List.of(store.keys().job(id)), List.of(
                JobTransitions.REMOVING, mark, Long.toString(now.minus(STOPPED_AFTER).toEpochMilli()),
                status == null ? "" : status.value(), endedAt == null ? "" : endedAt.toString())))) {
            return false;
        }
        try {
            // As it ended, which may be after it was last read: a user's original is handed back by its status.
            Optional<Job> ended = store.find(id);
            if (ended.isPresent()) {
                removeFiles(ended.get());
            }
            store.delete(id);
            return true;
        } catch (IOException | RuntimeException e) {
            store.redis().eval(UNMARK, List.of(store.keys().job(id)), List.of(JobTransitions.REMOVING, mark));
            throw e;
        }
    }

    /** The job's folder and stored objects, once a user's original is out of it (a cancelled job keeps its record). */
    void removeFiles(Job job) throws IOException {
        originals.release(job);
        files.removeJob(job.id());
        storage.deleteJob(job.id());
    }
}
