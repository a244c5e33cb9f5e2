package io.videotranscoder;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.videotranscoder.inbox.InboxClaims;
import io.videotranscoder.inbox.InboxFilter;
import io.videotranscoder.inbox.InboxFolders;
import io.videotranscoder.inbox.InboxResults;
import io.videotranscoder.inbox.KeptOriginals;
import io.videotranscoder.job.JobFiles;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.job.JobSubmitter;
import io.videotranscoder.preset.PresetCatalog;
import io.videotranscoder.process.HostName;
import io.videotranscoder.process.WritableFolder;
import io.videotranscoder.queue.Admission;
import io.videotranscoder.storage.DiskSpace;
import io.videotranscoder.storage.StagedLeftovers;
import io.videotranscoder.storage.Storage;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import redis.clients.jedis.UnifiedJedis;

/** The inbox: which dropped files are ready, who claims each, and where a job's result goes back to. */
public class InboxConfiguration implements CamelConfiguration {

    /**
     * Claims are named after this instance (the worker name, else the host name) so a restart finds its own. An inbox
     * other users may write in is made sticky ({@link InboxFolders#guard}).
     */
    @BindToRegistry
    public InboxClaims inbox(CamelContext context, PresetCatalog presets, Clock clock,
            @PropertyInject("transcoder.inbox-dir") String dir, @PropertyInject("transcoder.worker-name") String name,
            @PropertyInject("transcoder.inbox-claim-timeout") Duration claimTimeout) {
        Path inbox = WritableFolder.require(Path.of(dir), "TRANSCODER_INBOX_DIR");
        InboxFolders.guard(inbox);
        return new InboxClaims(inbox, presets,
                HostName.or(name), claimTimeout.toMillis(), clock,
                context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "inbox-claims"));
    }

    @BindToRegistry
    public InboxFilter inboxFilter(DiskSpace disk, UnifiedJedis redis, Clock clock,
            @PropertyInject("transcoder.inbox-stable") Duration stable,
            @PropertyInject("transcoder.data-dir") String dataDir) {
        return new InboxFilter(stable.toMillis(), disk, Path.of(dataDir), redis::ping, clock);
    }

    /** Housekeeping's step {@code sweep-staged-copies}: what a copy into the inbox's folders or the outbox left. */
    @BindToRegistry
    public StagedLeftovers stagedLeftovers(Clock clock, @PropertyInject("transcoder.inbox-dir") String inbox,
            @PropertyInject("transcoder.outbox-dir") String outbox) {
        return new StagedLeftovers(List.of(Path.of(inbox), Path.of(outbox)), clock);
    }

    /**
     * Whether the results of ended inbox jobs are delivered now (routes/inbox.camel.yaml): not while the outbox's disk
     * is short of space, so that they wait in the queue for room rather than use up their deliveries.
     */
    @BindToRegistry
    public Admission outboxRoom(DiskSpace disk, @PropertyInject("transcoder.outbox-dir") String outbox) {
        return disk.of(Path.of(outbox))::shortage;
    }

    /** Originals kept on the inbox's mount while their jobs run on a copy, where the data folder is on another. */
    @BindToRegistry
    public KeptOriginals keptOriginals(InboxClaims inbox, JobStore store, JobFiles files, JobSubmitter submitter,
            @PropertyInject("transcoder.inbox-claim-timeout") Duration claimTimeout) {
        return new KeptOriginals(inbox, store, files, submitter, claimTimeout.toMillis());
    }

    @BindToRegistry
    public InboxResults inboxResults(JobStore store, Storage storage, InboxClaims inbox, KeptOriginals kept,
            @PropertyInject("transcoder.outbox-dir") String outbox,
            @PropertyInject("transcoder.inbox-delete-originals") boolean deleteOriginals) {
        return new InboxResults(store, storage, inbox, kept, Path.of(outbox), deleteOriginals);
    }
}
