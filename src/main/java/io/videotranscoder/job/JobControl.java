package io.videotranscoder.job;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.videotranscoder.http.JobViews;
import io.videotranscoder.http.ProblemException;
import io.videotranscoder.storage.JobFiles;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client may do to a job: cancel it (a queued job never starts; a running one's FFmpeg is stopped by its
 * worker within a second or two) or run a failed one again.
 */
public class JobControl {

    private static final Logger LOG = LoggerFactory.getLogger(JobControl.class);

    private final JobStore store;
    private final JobFiles files;
    private final Clock clock;
    private final JobOriginals originals;

    /** @param originals takes a user's original out of a cancelled job's folder before the folder is removed */
    public JobControl(JobStore store, JobFiles files, Clock clock, JobOriginals originals) {
        this.store = store;
        this.files = files;
        this.clock = clock;
        this.originals = originals;
    }

    /** DELETE /jobs/{id}: the job (property {@value JobSubmitter#JOB}) as it is once cancelled. */
    public void cancel(Exchange exchange) {
        Job job = existing(exchange);
        Map<String, String> fields = Map.of("finishedAt", clock.instant().toString(),
                "error", "Cancelled at the client's request.");
        store.transition(job.id(), JobStatus.CANCELLED, List.of(JobStatus.QUEUED, JobStatus.RUNNING), fields)
                .ifPresent(status -> {
                    throw ProblemException.conflict("Job " + job.id() + " is " + status + "; it cannot be cancelled.");
                });
        Job cancelled = store.find(job.id()).orElseThrow();
        if (job.status() == JobStatus.QUEUED) {
            // No worker has it: its queue entry is dropped when delivered.
            try {
                originals.release(cancelled);
                files.deleteJob(job.id());
            } catch (IOException e) {
                LOG.warn("Job {} cancelled, but its original could not be handed back ({}): its folder is kept",
                        job.id(), e.toString());
            }
        }
        exchange.setProperty(JobSubmitter.JOB, cancelled);
    }

    /** POST /jobs/{id}/retry: a failed job is queued again; answers the queue entry's fields. */
    public Map<String, String> retry(Exchange exchange) {
        Job job = existing(exchange);
        if (job.status() != JobStatus.FAILED) {
            throw ProblemException.conflict("Job " + job.id() + " is " + job.status().value()
                                            + "; only a failed job can be retried.");
        }
        if (!Files.isRegularFile(files.jobDir(job.id()).resolve(job.inputFile()))) {
            throw ProblemException.conflict("The input of job " + job.id() + " is no longer stored; send it again.");
        }
        Map<String, String> fields = Map.of("error", "", "progress", "0", "finishedAt", "");
        store.transition(job.id(), JobStatus.QUEUED, List.of(JobStatus.FAILED), fields).ifPresent(status -> {
            throw ProblemException.conflict("Job " + job.id() + " is " + status + "; only a failed job can be retried.");
        });
        exchange.setProperty(JobSubmitter.JOB, store.find(job.id()).orElseThrow());
        return Map.of("job", job.id());
    }

    private Job existing(Exchange exchange) {
        return JobViews.find(store, exchange.getIn().getHeader("id", String.class));
    }
}
