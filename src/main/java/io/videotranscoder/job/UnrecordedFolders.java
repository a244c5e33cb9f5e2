package io.videotranscoder.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.videotranscoder.storage.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job folders that no job record names. A submission makes its job's folder before it records the job, so a folder
 * this process is submitting is left alone, and so is one that anything in it changed within {@link #AGE} (another
 * process's submission, a large file still being copied in). Past that:
 * <ul>
 *     <li>a folder that notes where its input was received is a submission a process died in: the file goes back
 *     where it came from ({@link ReceivedFiles#giveBack}): an inbox file to its claim, which the inbox takes back; a
 *     resumable upload to its folder, where the client's next request makes it a job; a form upload to the temporary
 *     folder housekeeping clears;</li>
 *     <li>with an object store, a recorded job keeps a folder on the API's own disk only for an inbox file's original
 *     ({@link JobSubmitter} removes the others at once): an original whose job was removed before it was handed back
 *     goes to the user ({@link JobOriginals#unclaimed});</li>
 *     <li>on the local data root, any other folder stays as it is: it may hold a user's only copy, and a record can
 *     be missing for reasons this cannot tell apart (Redis restored without it, another deployment's key prefix).</li>
 * </ul>
 * A folder whose received file is another deployment's (another key prefix on the same data root, whose records this
 * one cannot see) is left alone. A folder whose file went back, or to its user, goes; one whose file could go nowhere
 * is kept, with a warning.
 */
public class UnrecordedFolders {

    private static final Logger LOG = LoggerFactory.getLogger(UnrecordedFolders.class);
    /** Far longer than a submission takes, but for a large upload into an object store, which this process knows. */
    static final Duration AGE = Duration.ofMinutes(5);

    private final JobStore store;
    private final JobFiles files;
    private final ReceivedFiles received;
    private final JobSubmitter submitter;
    private final Storage storage;
    private final JobOriginals originals;
    private final Clock clock;

    public UnrecordedFolders(JobStore store, JobFiles files, JobSubmitter submitter, Storage storage,
            JobOriginals originals, Clock clock) {
        this.store = store;
        this.files = files;
        this.received = new ReceivedFiles(files, store.keys().prefix());
        this.submitter = submitter;
        this.storage = storage;
        this.originals = originals;
        this.clock = clock;
    }

    /** Settles this data root's unrecorded folders; run by every instance, each on the root it sees. */
    public void sweep() throws IOException {
        if (!Files.isDirectory(files.root())) {
            return;
        }
        Instant before = clock.instant().minus(AGE);
        List<Path> folders;
        try (var listed = Files.list(files.root())) {
            folders = listed.filter(f -> JobIds.valid(f.getFileName().toString())).toList();
        }
        for (Path folder : folders) {
            String id = folder.getFileName().toString();
            try {
                ReceivedFiles.Whose whose = received.whose(id);
                boolean noted = whose == ReceivedFiles.Whose.MINE;
                if (whose != ReceivedFiles.Whose.ELSEWHERE && (noted || !storage.local()) && !submitter.submitting(id)
                    && unchangedSince(folder, before) && store.status(id).isEmpty()) {
                    settle(id, folder, noted);
                }
            } catch (NoSuchFileException removedMeanwhile) {
                LOG.debug("Job {}: its folder was removed meanwhile", id);
            }
        }
    }

    private void settle(String id, Path folder, boolean noted) {
        if (noted) {
            if (!received.giveBack(id)) {
                return;
            }
        } else {
            try (var held = Files.list(folder)) {
                boolean copy = files.inputIsCopy(id);
                for (Path file : held.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
                        && !f.getFileName().toString().equals(JobFiles.COPY_NOTE)).toList()) {
                    originals.unclaimed(id, file, copy);
                }
            } catch (IOException e) {
                LOG.warn("Job {} is gone, and the file its folder holds could not be handed back: {} is kept ({})", id,
                        folder, e.toString());
                return;
            }
        }
        files.deleteJob(id);
        LOG.info("Removed the folder of job {}, which was never recorded or was removed", id);
    }

    /** Whether neither the folder nor a file in it changed since {@code before}: no one is making it. */
    private static boolean unchangedSince(Path folder, Instant before) throws IOException {
        if (!FileTrees.changedBefore(folder, before)) {
            return false;
        }
        try (var entries = Files.list(folder)) {
            for (Path entry : entries.toList()) {
                if (!FileTrees.changedBefore(entry, before)) {
                    return false;
                }
            }
        }
        return true;
    }
}
