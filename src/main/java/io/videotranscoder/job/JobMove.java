package io.videotranscoder.job;

import static io.videotranscoder.job.JobStatus.CANCELLED;
import static io.videotranscoder.job.JobStatus.FAILED;
import static io.videotranscoder.job.JobStatus.QUEUED;
import static io.videotranscoder.job.JobStatus.RUNNING;
import static io.videotranscoder.job.JobStatus.SUCCEEDED;

import java.util.List;

/**
 * Every status change a job can make, with the statuses it may be made from: the one table of allowed moves. The
 * store checks the current status against it in the same script that writes the new one.
 */
public enum JobMove {
    /** A worker takes the job; again after a worker that had it stopped (running to running). */
    BEGIN(RUNNING, QUEUED, RUNNING),
    /** The outputs are published; not while a client's cancel is asked (the worker stores the cancel instead). */
    SUCCEED(SUCCEEDED, RUNNING) {
        @Override
        public boolean refusedWhileCancelAsked() {
            return true;
        }
    },
    /**
     * The job cannot be done; also a queued one whose deliveries are exhausted. Refused while a client's cancel is
     * asked (it came as the failure was judged, or as the claim gave up): the worker stores the cancel instead.
     */
    FAIL(FAILED, QUEUED, RUNNING) {
        @Override
        public boolean refusedWhileCancelAsked() {
            return true;
        }
    },
    /**
     * The attempt was stopped for a reason another attempt may not meet: back on the queue; not while a cancel is, nor
     * once the job runs as parts (its split was stored, though its answer may not have reached the attempt): its join
     * ends it.
     */
    REQUEUE(QUEUED, RUNNING) {
        @Override
        public boolean refusedWhileCancelAsked() {
            return true;
        }

        @Override
        public boolean refusedOnceSplit() {
            return true;
        }
    },
    /**
     * A split job whose parts were lost before its join runs again from its input, as a new run; not while a cancel
     * is asked.
     */
    RERUN(QUEUED, RUNNING) {
        @Override
        public boolean refusedWhileCancelAsked() {
            return true;
        }
    },
    /** A worker stops a job whose cancel was asked. */
    CANCEL(CANCELLED, QUEUED, RUNNING),
    /** A client cancels a job no worker has. */
    CANCEL_QUEUED(CANCELLED, QUEUED),
    /** A client runs a failed job again. */
    RETRY(QUEUED, FAILED);

    private final JobStatus to;
    private final List<JobStatus> from;

    JobMove(JobStatus to, JobStatus... from) {
        this.to = to;
        this.from = List.of(from);
    }

    public JobStatus to() {
        return to;
    }

    public List<JobStatus> from() {
        return from;
    }

    /** Whether the move is refused while a client's cancel of the running job waits for its worker. */
    public boolean refusedWhileCancelAsked() {
        return false;
    }

    /** Whether the move is refused once the job's parts are queued. */
    public boolean refusedOnceSplit() {
        return false;
    }
}
