package io.videotranscoder.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where this worker reads jobs' files and encodes: the local data root itself, or, with an object store, a scratch
 * folder of its own holding copies (each job's input, its parts for the join, and the encodes' folders).
 * <p>
 * Several runs of one job may use its copies at once in one worker: the run that splits the job and its first part,
 * and its parts side by side when the worker runs more than one at a time. So each run holds the job from its begin to
 * its end, and a job's copies go only when no run holds it: at once if the job is over, otherwise as soon as a run of
 * another job begins (so that the job's next part, if it comes to this worker first, finds the input already copied,
 * and a worker keeps only the copies of the jobs it runs).
 */
public final class ScratchCopies {

    private static final Logger LOG = LoggerFactory.getLogger(ScratchCopies.class);

    private final JobFiles files;
    private final JobStore store;
    private final boolean copies;
    private final Map<String, Integer> holds = new HashMap<>();

    private ScratchCopies(JobFiles files, JobStore store, boolean copies) {
        this.files = files;
        this.store = store;
        this.copies = copies;
    }

    /** The local data root, where the workers read and encode in place: nothing is copied, nothing removed. */
    public static ScratchCopies none(JobFiles dataRoot) {
        return new ScratchCopies(dataRoot, null, false);
    }

    /** A scratch folder, emptied now: what is there was left by this process's previous run. */
    public static ScratchCopies in(Path folder, JobStore store) throws IOException {
        JobFiles scratch = new JobFiles(folder);
        FileTrees.delete(scratch.root());
        Files.createDirectories(scratch.root());
        return new ScratchCopies(scratch, store, true);
    }

    /** Where the runs of this worker read inputs and encode. */
    public JobFiles files() {
        return files;
    }

    /** A run of the job begins on this worker: the copies of jobs no run holds any more go. */
    synchronized void hold(String id) {
        if (copies && JobIds.valid(id)) {
            for (String other : copied()) {
                if (!other.equals(id) && !holds.containsKey(other)) {
                    files.deleteJob(other);
                }
            }
            holds.merge(id, 1, Integer::sum);
        }
    }

    /** A run of the job ended: the job's copies go if no other run holds it and the job is over. */
    synchronized void release(String id) {
        if (!copies || !holds.containsKey(id)) {
            return;
        }
        int left = holds.merge(id, -1, Integer::sum);
        if (left == 0) {
            holds.remove(id);
            if (over(id)) {
                files.deleteJob(id);
            }
        }
    }

    /** Whether the job is over or gone; when that cannot be read, its copies wait for the next run's sweep. */
    private boolean over(String id) {
        try {
            return store.ended(id);
        } catch (RuntimeException e) {
            LOG.debug("Could not read job {}: {}", id, e.getMessage());
            return false;
        }
    }

    /** Whether the exchange's job has no whole copy of its input here yet (one is only ever renamed into place). */
    public boolean lacksInput(Exchange exchange) {
        Job job = exchange.getProperty(JobSubmitter.JOB, Job.class);
        return !Files.isRegularFile(files.jobDir(job.id()).resolve(job.inputFile()));
    }

    private List<String> copied() {
        try (Stream<Path> folders = Files.list(files.root())) {
            return folders.map(folder -> folder.getFileName().toString()).filter(JobIds::valid).toList();
        } catch (IOException e) {
            LOG.warn("Could not list the scratch folder {}: {}", files.root(), e.getMessage());
            return List.of();
        }
    }
}
