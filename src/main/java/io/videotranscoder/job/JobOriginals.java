package io.videotranscoder.job;

import java.io.IOException;

/**
 * A job's original that belongs to a user (a file dropped into the inbox) rather than to the service: before the
 * service removes a job's folder, the original is taken out of it, to where its user looks for it.
 */
@FunctionalInterface
public interface JobOriginals {

    /** Moves an ended job's original out of the job's folder; does nothing for other jobs or when it is gone. */
    void release(Job job) throws IOException;
}
