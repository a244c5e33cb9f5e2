package io.videotranscoder;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import io.videotranscoder.access.JobOwners;
import io.videotranscoder.http.UploadReceiver;
import io.videotranscoder.storage.DiskSpace;
import io.videotranscoder.http.tus.TusFiles;
import io.videotranscoder.http.tus.TusHandlers;
import io.videotranscoder.http.tus.TusHolders;
import io.videotranscoder.http.tus.TusJobs;
import io.videotranscoder.http.tus.TusSettings;
import io.videotranscoder.http.tus.TusStore;
import io.videotranscoder.job.JobEventLog;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.job.JobSubmitter;
import io.videotranscoder.process.HostName;
import io.videotranscoder.queue.GroupMembers;
import io.videotranscoder.webhook.Callbacks;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import redis.clients.jedis.JedisPooled;

/** Resumable uploads (tus 1.0.0 under /uploads/): their records, their bytes, and the handlers on the API's router. */
public class TusConfiguration implements CamelConfiguration {

    @PropertyInject("transcoder.http-port")
    private int port;

    @PropertyInject("transcoder.max-upload-bytes")
    private long maxUploadBytes;

    @PropertyInject("transcoder.upload-expiry")
    private Duration expiry;

    @PropertyInject("transcoder.upload-max-age")
    private Duration maxAge;

    @PropertyInject("transcoder.max-open-uploads-per-key")
    private int maxOpenUploadsPerKey;

    /**
     * Each upload records this instance's name (its worker name, else its host's, as its consumers go by), as the one
     * whose disk keeps its bytes until the last arrives.
     */
    @BindToRegistry
    public TusStore tusStore(JedisPooled redis, @PropertyInject("transcoder.key-prefix") String keyPrefix,
            @PropertyInject("transcoder.worker-name") String name) {
        return new TusStore(redis, keyPrefix, HostName.or(name));
    }

    /**
     * An upload's bytes are gone with their instance once it has not been heard of for ten leases: every API instance
     * consumes the job events for webhooks (routes/webhooks.camel.yaml), and says it is alive as it does. A container
     * restarted in its pod (its name and its emptyDir kept, so the bytes come back with it) may wait out five minutes
     * of the kubelet's back-off first; two leases took its uploads for gone, and their clients started them over.
     */
    @BindToRegistry
    public TusHolders tusHolders(JedisPooled redis, TusStore store, TusFiles files,
            @PropertyInject("transcoder.key-prefix") String keyPrefix,
            @PropertyInject("transcoder.worker-name") String name, @PropertyInject("transcoder.lease") Duration lease) {
        GroupMembers instances = new GroupMembers(redis, JobEventLog.key(keyPrefix), "webhooks");
        return new TusHolders(store, files, HostName.or(name), instances, lease.toMillis() * 10);
    }

    /** Housekeeping's step {@code sweep-uploads} removes the bytes of expired uploads (unwritten for their expiry). */
    @BindToRegistry
    public TusFiles tusFiles(@PropertyInject("transcoder.data-dir") String dataDir, TusStore store) {
        return new TusFiles(Path.of(dataDir), store, expiry);
    }

    /**
     * The webhooks' callback check is looked up when first needed, as their beans are made lazily; and so are the
     * jobs' owners, which another configuration class binds.
     */
    @BindToRegistry
    public TusJobs tusJobs(CamelContext context, UploadReceiver uploads, TusFiles files, TusStore store,
            JobStore jobs, JobSubmitter submitter) {
        return new TusJobs(uploads, () -> context.getRegistry().lookupByNameAndType("callbacks", Callbacks.class),
                files, store, jobs, () -> context.getRegistry().lookupByNameAndType("jobOwners", JobOwners.class),
                submitter);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addStartupListener((started, alreadyStarted) -> {
            var registry = started.getRegistry();
            new TusHandlers(port, registry.findSingleByType(TusStore.class), registry.findSingleByType(TusFiles.class),
                    registry.findSingleByType(TusJobs.class), registry.findSingleByType(DiskSpace.class),
                    new TusSettings(maxUploadBytes, expiry, maxAge, maxOpenUploadsPerKey),
                    registry.findSingleByType(Clock.class), registry.findSingleByType(TusHolders.class))
                    .onCamelContextStarted(started, alreadyStarted);
        });
    }
}
