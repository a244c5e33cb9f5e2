package io.videotranscoder.job;

import io.videotranscoder.storage.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a job's attempts put in the object store, removed once the job no longer lists it. A store away leaves it to
 * the job's removal, which removes every object of the job; the attempt's end stands meanwhile.
 */
record StoredObjects(Storage storage) {

    private static final Logger LOG = LoggerFactory.getLogger(StoredObjects.class);

    /** The job's success is recorded: what attempts that lost it stored goes. */
    void ofOtherAttempts(Job job, String attempt) {
        try {
            storage.deleteOtherAttempts(job.id(), attempt);
        } catch (RuntimeException e) {
            LOG.warn("Job {} succeeded; what attempts that lost it stored stays until the job is removed: {}", job.id(),
                    e.toString());
        }
    }

    /**
     * The job was removed while this attempt stored its outputs (its worker paused past its lease, another attempt
     * ended the job, and the job was removed): the removal did not find what this attempt stored since, which nothing
     * else will look for. It goes now, whether the attempt {@code ended} as a success or a failure.
     */
    void ofRemovedJob(Job job, String attempt, String ended) {
        LOG.warn("Job {} {} but was removed meanwhile: the outputs this attempt stored go", job.id(), ended);
        try {
            storage.deleteAttempt(job.id(), attempt);
        } catch (RuntimeException e) {
            LOG.warn("Job {}: the outputs this attempt stored could not be removed: {}", job.id(), e.toString());
        }
    }

    /** The job is cancelled: its copies go (an inbox original is in the API's folder, not there). */
    void ofCancelledJob(Job job) {
        try {
            storage.deleteJob(job.id());
        } catch (RuntimeException e) { // the cancel goes on: its objects go with the job, at its removal or expiry
            LOG.warn("Job {} cancelled, but its stored files could not all be removed: {}", job.id(), e.toString());
        }
    }
}
