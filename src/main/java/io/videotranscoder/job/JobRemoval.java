package io.videotranscoder.job;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;

import io.videotranscoder.storage.Storage;

/**
 * A job's files and record removed (DELETE of a finished job, the expiry), a user's original handed back first. The
 * job is marked first, while it is ended, so that a retry meanwhile is refused; a job retried before the mark is not
 * removed, since it is not over any more. Should the removal fail in any way, the mark goes and the job stays, to be
 * removed again or retried.
 */
final class JobRemoval {

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
        if (!store.recordEnded(id, JobTransitions.REMOVING, clock.instant().toString())) {
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
            store.recordEnded(id, JobTransitions.REMOVING, "");
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
