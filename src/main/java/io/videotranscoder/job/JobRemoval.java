package io.videotranscoder.job;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.videotranscoder.storage.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's files and record removed (DELETE of a finished job, the expiry), a user's original handed back first. The
 * job is marked first, while it is ended, so that a retry meanwhile is refused; a job retried before the mark is not
 * removed, since it is not over any more. Should the removal fail in any way, its mark goes and the job stays, to be
 * removed again or retried. Several removals of one job may run at once (two API instances, each process's
 * housekeeping): each adds a mark of its own and takes only its own away, so that one failing does not let a retry in
 * while another goes on removing the job's files; the mark of a removal stopped long ago goes with the next one's.
 */
final class JobRemoval {

    private static final Logger LOG = LoggerFactory.getLogger(JobRemoval.class);

    /**
     * A removal that has not ended after this long was stopped (its process killed) and will not take its mark away:
     * the next removal does, so that its failure does not leave the job marked for ever.
     */
    static final Duration STOPPED_AFTER = Duration.ofHours(1);
    /**
     * ARGV[1] the field, to whose marks (separated by spaces) the removal's is added while the job has ended, and (when
     * ARGV[4] is not empty) ended so, at ARGV[5] (when not empty): {@code <Redis's epoch millis>/ARGV[2]}, returned;
     * marks older than ARGV[3] milliseconds, by Redis's clock, were left by stopped removals and go. Redis's clock,
     * not the caller's: a host whose clock was an hour ahead took every other removal's mark for a stopped one's.
     */
    private static final String MARK = """
            #!lua flags=allow-oom
            local status = redis.call('HGET', KEYS[1], 'status')
            if status == 'queued' or status == 'running' then return false end
            if status and ARGV[4] ~= '' and status ~= ARGV[4] then return false end
            if status and ARGV[5] ~= '' and (redis.call('HGET', KEYS[1], 'finishedAt') or '') ~= ARGV[5] then
              return false
            end
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            local mine = string.format('%d/%s', now, ARGV[2])
            if status then
              local kept = {}
              for mark in string.gmatch(redis.call('HGET', KEYS[1], ARGV[1]) or '', '%S+') do
                local since = tonumber(string.match(mark, '^(%d+)/'))
                if since and since >= now - tonumber(ARGV[3]) then table.insert(kept, mark) end
              end
              table.insert(kept, mine)
              redis.call('HSET', KEYS[1], ARGV[1], table.concat(kept, ' '))
            end
            return mine""";
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

    JobRemoval(JobStore store, JobFiles files, Storage storage, JobOriginals originals) {
        this.store = store;
        this.files = files;
        this.storage = storage;
        this.originals = originals;
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
        Object marked = store.redis().eval(MARK, List.of(store.keys().job(id)), List.of(JobTransitions.REMOVING,
                UUID.randomUUID().toString(), Long.toString(STOPPED_AFTER.toMillis()),
                status == null ? "" : status.value(), endedAt == null ? "" : endedAt.toString()));
        if (marked == null) {
            return false;
        }
        String mark = String.valueOf(marked);
        try {
            // As it ended, which may be after it was last read: a user's original is handed back by its status.
            Optional<Job> ended = store.find(id);
            if (ended.isPresent()) {
                originals.release(ended.get());
                if (!marked(id, mark)) {
                    // Paused past STOPPED_AFTER since it marked the job: its mark was dropped, and the job may have
                    // been retried and be running on these files. They stay, and so does the record.
                    LOG.warn("Job {}: its removal was paused past {} and its mark dropped: its files are kept", id,
                            STOPPED_AFTER);
                    return false;
                }
                deleteFiles(id);
            }
            if (!new JobDeletion(store.redis(), store.keys()).deleteMarked(id, JobTransitions.REMOVING, mark)) {
                // This removal ran past STOPPED_AFTER (its process paused): its mark was taken for a stopped one's and
                // dropped, and the job may have been retried since. Its record stays, whatever its files.
                LOG.warn("Job {}: its removal took longer than {} and its mark was dropped: its record is kept", id,
                        STOPPED_AFTER);
                return false;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            store.redis().eval(UNMARK, List.of(store.keys().job(id)), List.of(JobTransitions.REMOVING, mark));
            throw e;
        }
    }

    /** The job's folder and stored objects, once a user's original is out of it (a cancelled job keeps its record). */
    void removeFiles(Job job) throws IOException {
        originals.release(job);
        deleteFiles(job.id());
    }

    private void deleteFiles(String id) throws IOException {
        files.removeJob(id);
        storage.deleteJob(id);
    }

    /**
     * Whether the removal's mark is still on the job (none took it for a stopped removal's), or the job is gone (another
     * removal finished it): its files may go.
     */
    private boolean marked(String id, String mark) {
        List<String> fields = store.redis().hmget(store.keys().job(id), "status", JobTransitions.REMOVING);
        return fields.get(0) == null || fields.get(1) != null && List.of(fields.get(1).split(" ")).contains(mark);
    }
}
