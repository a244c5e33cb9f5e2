package io.videotranscoder.http.tus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.videotranscoder.access.JobOwners;
import io.videotranscoder.http.SplitField;
import io.videotranscoder.http.UploadReceiver;
import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobOwner;
import io.videotranscoder.job.JobRequest;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.job.JobSubmitter;
import io.videotranscoder.job.Tenancy;
import io.videotranscoder.storage.FileChecks;
import io.videotranscoder.webhook.Callbacks;
import org.apache.camel.Exchange;

/**
 * What a resumable upload's options become, checked as a multipart {@code POST /jobs}'s form fields are: once when the
 * upload is created (so that a client learns of a bad preset before it sends gigabytes) and again, by the route
 * {@code finish-upload}, when its last byte arrived and it becomes a job.
 */
public class TusJobs {

    /** The exchange property the route gets the complete upload in. */
    public static final String UPLOAD = "transcoderTusUpload";

    private final UploadReceiver fields;
    private final Supplier<Callbacks> callbacks;
    private final TusFiles files;
    private final TusStore store;
    private final JobStore jobs;
    private final Supplier<JobOwners> owners;
    private final JobSubmitter submitter;

    public TusJobs(UploadReceiver fields, Supplier<Callbacks> callbacks, TusFiles files, TusStore store,
            JobStore jobs, Supplier<JobOwners> owners, JobSubmitter submitter) {
        this.owners = owners;
        this.submitter = submitter;
        this.fields = fields;
        this.callbacks = callbacks;
        this.files = files;
        this.store = store;
        this.jobs = jobs;
    }

    /** @throws io.videotranscoder.refusal.Refusal naming the option that cannot be taken */
    public void check(Map<String, String> metadata) {
        fields.preset(metadata::get);
        SplitField.allowed(metadata.get(SplitField.FIELD));
        String callback = metadata.get(Callbacks.FIELD);
        if (callback != null && !callback.isBlank()) {
            callbacks.get().require(callback);
        }
    }

    /**
     * The job a complete upload became before the upload was marked with it (the process died in between, or Redis
     * was away for the mark): marked now. Its job has the upload's id.
     */
    Optional<String> madeAlready(TusUpload upload) {
        if (jobs.find(upload.id()).isEmpty()) {
            return Optional.empty();
        }
        store.finish(upload.id(), upload.id());
        return Optional.of(upload.id());
    }

    /**
     * Whether a submission holds the upload's file in the folder of its job (the upload's id), not yet recorded: one
     * making the job now, or one cut short, whose file housekeeping gives back to the upload.
     */
    boolean beingMade(String id) {
        return submitter.receiving(id);
    }

    /**
     * The route's first step: the job is the tenant's of the key that created the upload, and counts against that key's
     * quota, whoever sent the last byte (a HEAD or PATCH of an admin, or of another key of the tenant).
     */
    public void owner(Exchange exchange) {
        TusUpload upload = exchange.getProperty(UPLOAD, TusUpload.class);
        exchange.setProperty(JobOwner.PROPERTY, owners.get().uploader(upload.tenant(), upload.owner()));
        exchange.setProperty(Tenancy.PROPERTY, Tenancy.of(upload.tenant()));
    }

    /**
     * The route's next step: the complete upload's file and options as a job request (the callback comes next), for
     * a job with the upload's id.
     */
    public JobRequest receive(Exchange exchange) throws IOException {
        TusUpload upload = exchange.getProperty(UPLOAD, TusUpload.class);
        Path file = files.file(upload.id());
        FileChecks.requireVideoLike(file);
        exchange.getIn().setHeader(Callbacks.FIELD, upload.metadata().get(Callbacks.FIELD));
        exchange.getIn().setHeader(SplitField.FIELD, upload.metadata().get(SplitField.FIELD));
        return new JobRequest("api", file, upload.metadata().get("filename"), fields.preset(upload.metadata()::get))
                .withId(upload.id());
    }

    /** The route's last step: the upload is marked with its job, so that asking for it again answers the same job. */
    public void finished(Exchange exchange) {
        TusUpload upload = exchange.getProperty(UPLOAD, TusUpload.class);
        store.finish(upload.id(), exchange.getProperty(JobSubmitter.JOB, Job.class).id());
    }
}
