package io.videotranscoder.job;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A job's original that belongs to a user (a file dropped into the inbox) rather than to the service: before the
 * service removes a job's folder, the original is taken out of it, to where its user looks for it.
 */
public interface JobOriginals {

    /** Moves an ended job's original out of the job's folder; does nothing for other jobs or when it is gone. */
    void release(Job job) throws IOException;

    /**
     * Hands a user's original back whose job was removed before it could be released (see {@link UnrecordedFolders}):
     * its name and end are no longer known.
     *
     * @param copy whether {@code file} is a copy ({@link JobFiles#inputIsCopy}), whose original is kept elsewhere
     */
    void unclaimed(String jobId, Path file, boolean copy) throws IOException;
}
