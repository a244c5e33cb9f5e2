package io.videotranscoder;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.videotranscoder.inbox.HeldOriginals;
import io.videotranscoder.inbox.InboxResults;
import io.videotranscoder.job.Housekeeping;
import io.videotranscoder.job.JobControl;
import io.videotranscoder.job.JobEventLog;
import io.videotranscoder.job.JobFiles;
import io.videotranscoder.job.JobOriginals;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.job.JobSubmitter;
import io.videotranscoder.job.UnheldCancels;
import io.videotranscoder.job.UnrecordedFolders;
import io.videotranscoder.queue.GroupBacklog;
import io.videotranscoder.queue.GroupMembers;
import io.videotranscoder.storage.StaleUploads;
import io.videotranscoder.storage.Storage;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import redis.clients.jedis.JedisPooled;

/**
 * What happens to jobs after their submission: cancel, delete and retry, and expiry with the repair of what crashes
 * left. Both hand an inbox job's original back to the inbox, as does the delivery of inbox results by the API when
 * jobs' files are in an object store.
 */
public class ControlConfiguration implements CamelConfiguration {

    @BindToRegistry
    public JobControl jobControl(JobStore store, JobFiles files, Storage storage, Clock clock,
            JobOriginals originals, UnheldCancels unheldCancels) {
        return new JobControl(store, files, storage, clock, originals, unheldCancels);
    }

    /** Cancels asked of running jobs that no worker holds: carried out at the request, and by housekeeping. */
    @BindToRegistry
    public UnheldCancels unheldCancels(JobStore store, JobFiles files, Storage storage, JedisPooled redis, Clock clock,
            @PropertyInject("transcoder.key-prefix") String keyPrefix,
            @PropertyInject("transcoder.lease") Duration lease) {
        return new UnheldCancels(store, files, storage, clock, lease, List.of(
                new GroupBacklog(redis, keyPrefix + "jobs", "workers"),
                new GroupBacklog(redis, keyPrefix + "parts", "workers")));
    }

    @BindToRegistry
    public Housekeeping housekeeping(JobStore store, JobFiles files, Storage storage, JedisPooled redis, Clock clock,
            JobOriginals originals, @PropertyInject("transcoder.key-prefix") String keyPrefix,
            @PropertyInject("transcoder.retention") Duration retention,
            @PropertyInject("transcoder.failed-retention") Duration failedRetention,
            @PropertyInject("transcoder.housekeeping-period") Duration period,
            @PropertyInject("transcoder.lease") Duration lease) {
        return new Housekeeping(store, files, storage, redis, keyPrefix + "jobs", retention, failedRetention, period, lease,
                clock, originals, groups(redis, keyPrefix));
    }

    /**
     * The consumer groups of the routes' streams (routes/*.camel.yaml): each process's consumers join them under its
     * name, a new one for each pod a rollout starts, which housekeeping removes once gone.
     */
    private static List<GroupMembers> groups(JedisPooled redis, String keyPrefix) {
        String events = JobEventLog.key(keyPrefix);
        return List.of(new GroupMembers(redis, keyPrefix + "jobs", "workers"),
                new GroupMembers(redis, keyPrefix + "parts", "workers"), new GroupMembers(redis, events, "webhooks"),
                new GroupMembers(redis, events, "inbox"),
                new GroupMembers(redis, keyPrefix + "webhook:sends", "senders"));
    }

    /** Housekeeping's step that gives up the uploads into an object store a killed process left unfinished. */
    @BindToRegistry
    public StaleUploads staleUploads(Storage storage, Clock clock,
            @PropertyInject("transcoder.s3-upload-expiry") Duration age) {
        return new StaleUploads(storage, age, clock);
    }

    /** With an object store, the API delivers the results of the inbox files it took (no worker reaches its inbox). */
    @BindToRegistry
    public HeldOriginals heldOriginals(JobStore store, JobFiles files, Storage storage, InboxResults results) {
        return new HeldOriginals(store, files, storage, results);
    }

    /** Housekeeping's step that settles job folders no record names: what a submission a process died in left. */
    @BindToRegistry
    public UnrecordedFolders unrecordedFolders(JobStore store, JobFiles files, JobSubmitter submitter,
            Storage storage, JobOriginals originals, Clock clock) {
        return new UnrecordedFolders(store, files, submitter, storage, originals, clock);
    }
}
