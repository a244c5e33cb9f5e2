package io.videotranscoder.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.videotranscoder.redis.PassingFailures;
import io.videotranscoder.redis.RedisFailures;
import io.videotranscoder.refusal.Refusal;
import io.videotranscoder.storage.Storage;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a received file into a queued job, in two steps around the storage route that stores its input
 * ({@code direct:store-input}): {@link #create} names the job and moves the file into its folder under the server's
 * name (or takes the upload streamed into the object store), {@link #record} stores the job's hash once its input is
 * stored.
 */
public class JobSubmitter {

    public static final String JOB = "transcoderJob";
    /** Set when the client turned splitting off for the job (see {@code SplitPlan}). */
    public static final String SPLIT_OFF = "transcoderSplitOff";
    private static final Logger LOG = LoggerFactory.getLogger(JobSubmitter.class);
    /** How long a submission waits for Redis to tell whether a record whose write failed was written. */
    private static final Duration LOOK_AGAIN = Duration.ofSeconds(10);

    private final JobStore store;
    private final JobFiles files;
    private final ReceivedFiles received;
    private final Storage storage;
    private final PendingInputs pending;
    private final Clock clock;
    /** The jobs this process is submitting now: {@link UnrecordedFolders} leaves their folders alone. */
    private final Set<String> submitting = ConcurrentHashMap.newKeySet();

    public JobSubmitter(JobStore store, JobFiles files, Storage storage, PendingInputs pending, Clock clock) {
        this.store = store;
        this.pending = pending;
        this.files = files;
        this.received = new ReceivedFiles(files, store.keys().prefix());
        this.storage = storage;
        this.clock = clock;
    }

    /**
     * Names the job (exchange property {@value #JOB}, not yet stored) for its owner (property
     * {@value JobOwner#PROPERTY}, set by the route: the caller's key, or the inbox) and moves the received file into
     * its folder; answers that file, for the step that stores it. An upload streamed into the object store was named
     * as it began: it is answered as it is, for the step that completes it.
     */
    public Object create(JobRequest request, Exchange exchange) throws IOException {
        JobOwner owner = owner(exchange);
        store.requireQuota(owner);
        String originalName = ClientNames.displayName(request.originalName());
        StreamedInput streamed = request.streamed();
        String id = streamed != null ? streamed.jobId() : request.id() != null ? request.id() : JobIds.next();
        String inputName = streamed != null ? streamed.inputName() : JobFiles.inputName(originalName);
        if (pending.noted()) {
            pending.note(id); // before the input is stored: a process killed before the record leaves it noted
        }
        submitting.add(id);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                submitting.remove(id);
            }
        });
        Path adopted = streamed != null ? null : received.adopt(request, id, inputName);
        // Read once it is the job's: a copy holds what the job will read, whatever a writer adds to its original.
        long size = adopted == null ? streamed.size() : Files.size(adopted);
        exchange.setProperty(JOB, Job.queued(id, request.source(), owner.tenant(), originalName, request.preset(),
                inputName, size, clock.instant()).withCallbackUrl(request.callbackUrl()));
        return adopted == null ? streamed : adopted.toFile();
    }

    /**
     * Whether a submission moved the file it received into the job's folder and has not recorded the job: one under
     * way (in any process on this data root), or one cut short, whose file {@link UnrecordedFolders} gives back.
     */
    public boolean receiving(String id) {
        return received.received(id);
    }

    /** Whether this process is submitting the job: its folder exists, its record not yet. */
    public boolean submitting(String id) {
        return submitting.contains(id);
    }

    /** The object store's step for a streamed upload: its last bytes are sent and the object is complete. */
    public void completeUpload(StreamedInput input) {
        input.upload().complete();
    }

    /**
     * Stores and queues the job, its input being stored, in one step. An upload's copy in the job's folder is removed
     * once it is in an object store; an inbox file stays there, its user's, until the job ends.
     *
     * @throws Refusal (quota exceeded) when the owner's key has as many active jobs as it may
     */
    public void record(Exchange exchange) {
        Job job = exchange.getProperty(JOB, Job.class);
        try {
            // Split off with the record, in one write: a second write that failed had the input removed, the job kept.
            store.create(job, owner(exchange), exchange.getProperty(SPLIT_OFF, false, Boolean.class),
                    pending.noted());
        } catch (RuntimeException e) {
            if (!recordedAfterAll(job, e)) {
                forget(exchange); // no record, no job folder: the client is told and may send it again
                throw e;
            }
        }
        if (!storage.local() && !"inbox".equals(job.source())) {
            files.deleteJob(job.id());
        } else {
            try {
                received.recorded(job.id());
            } catch (IOException e) {
                // Read only if the job's record goes before its folder: its input would go back where it came from.
                LOG.warn("Job {}: its note of where its input came from could not be removed ({})", job.id(),
                        e.toString());
            }
        }
    }

    /**
     * Whether the job's record was written although its write failed: its answer lost on the way (a timeout, a
     * failover). Undone then, the job would stay recorded with its input handed back: queued by housekeeping, then
     * failed, and its webhook sent for a job the client was told was refused.
     */
    private boolean recordedAfterAll(Job job, RuntimeException failure) {
        if (!RedisFailures.passing(failure)) {
            return false;
        }
        try {
            boolean recorded = PassingFailures.retried(() -> store.find(job.id()).isPresent(), LOOK_AGAIN);
            if (recorded) {
                LOG.info("Job {}: its record was written, though its answer was lost ({})", job.id(),
                        failure.toString());
            }
            return recorded;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The input could not be stored: what {@link #create} made is removed, and the failure goes on to the caller.
     *
     * @throws Exception the storage step's
     */
    public void notStored(Exchange exchange) throws Exception {
        forget(exchange);
        throw exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    }

    private static JobOwner owner(Exchange exchange) {
        JobOwner owner = exchange.getProperty(JobOwner.PROPERTY, JobOwner.class);
        if (owner == null) {
            throw new IllegalStateException("A job to submit has no owner: the route sets " + JobOwner.PROPERTY);
        }
        return owner;
    }

    /**
     * Undoes {@link #create}: the received file goes back where it was, for its owner (an inbox file to its claim,
     * which returns it to the inbox; a finished resumable upload to its folder; an upload to its temporary file),
     * then the job's folder and copies go. A file that cannot go back keeps its job folder: it may be a user's only
     * copy.
     */
    private void forget(Exchange exchange) {
        Job job = exchange.getProperty(JOB, Job.class);
        if (received.giveBack(job.id())) {
            files.deleteJob(job.id());
        }
        try {
            storage.deleteJob(job.id());
        } catch (RuntimeException e) { // the refusal is the answer; what the store kept is logged
            LOG.warn("The refused upload of job {} could not all be removed from storage: {}", job.id(), e.toString());
        }
    }
}
