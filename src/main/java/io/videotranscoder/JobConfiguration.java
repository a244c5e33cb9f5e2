package io.videotranscoder;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import io.videotranscoder.job.JobFiles;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.job.JobSubmitter;
import io.videotranscoder.job.PendingInputs;
import io.videotranscoder.process.WritableFolder;
import io.videotranscoder.storage.DiskSpace;
import io.videotranscoder.storage.Storage;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import redis.clients.jedis.JedisPooled;

/** Jobs: their records (hashes in Redis), their files (under the data root), and the step that creates both. */
public class JobConfiguration implements CamelConfiguration {

    /** camel-main calls the factory methods twice (as it creates this class, then as it loads it): one is made. */
    private DiskSpace disk;

    @BindToRegistry
    public Clock clock() {
        return Clock.systemUTC();
    }

    @BindToRegistry
    public JobStore jobStore(JedisPooled redis, @PropertyInject("transcoder.key-prefix") String keyPrefix) {
        return new JobStore(redis, keyPrefix);
    }

    @BindToRegistry
    public JobFiles jobFiles(@PropertyInject("transcoder.data-dir") String dataDir) {
        return new JobFiles(Path.of(dataDir));
    }

    /**
     * Free space of the data root, which is made here if missing, and must take a file: uploads and the inbox wait on
     * it.
     */
    @BindToRegistry
    public DiskSpace diskSpace(@PropertyInject("transcoder.data-dir") String dataDir,
            @PropertyInject("transcoder.min-free-bytes") long minFreeBytes,
            @PropertyInject("transcoder.data-limit-bytes") long limitBytes) {
        if (disk == null) {
            disk = new DiskSpace(WritableFolder.require(Path.of(dataDir), "TRANSCODER_DATA_DIR"), minFreeBytes,
                    limitBytes);
        }
        return disk;
    }

    @BindToRegistry
    public JobSubmitter jobSubmitter(JobStore store, JobFiles files, Storage storage, PendingInputs pendingInputs,
            Clock clock) {
        return new JobSubmitter(store, files, storage, pendingInputs, clock);
    }

    /**
     * Inputs stored into an object store before their jobs are recorded; housekeeping removes a killed submission's
     * once it is older than an unfinished upload into the store is kept.
     */
    @BindToRegistry
    public PendingInputs pendingInputs(JobStore store, Storage storage,
            @PropertyInject("transcoder.s3-upload-expiry") Duration age) {
        return new PendingInputs(store, storage, age);
    }
}
