package io.videotranscoder.job;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;

import io.videotranscoder.ffmpeg.FfmpegProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One look of the {@link EncodeWatcher} at one run: its progress published (a whole run's, not a part's), then whether
 * it must stop: its job cancelled, a part's job ended meanwhile (another part failed it), another worker began the
 * job, or the run went past its {@link EncodeLimits}. A run stopped already is signalled again, until its programs are
 * gone. With Redis away or refusing writes, the encode's own limits still hold, and a cancel may still be read.
 */
final class EncodeLook {

    private static final Logger LOG = LoggerFactory.getLogger(EncodeLook.class);

    private final JobStore store;
    private final AttemptFence fence;
    private final EncodeLimits limits;
    private final EncodeStops stops;

    EncodeLook(JobStore store, EncodeLimits limits, EncodeStops stops) {
        this.store = store;
        this.fence = new AttemptFence(store);
        this.limits = limits;
        this.stops = stops;
    }

    /** @param now the watcher's clock ({@link EncodeWatcher#now}) */
    void at(String run, WatchedEncode job, long now) {
        try {
            Optional<EncodeWatcher.Stop> stopped = stops.reason(run);
            if (stopped.isPresent()) {
                stops.signal(run, job, stopped.get()); // again, until it is gone
                return;
            }
            Optional<Job.Progress> progress = Files.exists(job.progressFile)
                    ? FfmpegProgress.latest(job.progressFile).map(report -> job.report(report, now))
                    : Optional.empty();
            try {
                progress.filter(p -> job.publishes).ifPresent(p -> fence.progress(job.job, job.attempt,
                        JobHash.progressFields(p)));
            } catch (JedisException e) {
                LOG.debug("Could not record the progress of {}: {}", run, e.toString());
            }
            JobStanding standing = null;
            try {
                standing = store.standing(job.job);
            } catch (JedisException e) {
                LOG.debug("Could not read the standing of {}: {}", run, e.toString());
            }
            Optional<EncodeWatcher.Stop> stop = standing != null && standing.mustStop()
                    ? Optional.of(EncodeWatcher.Stop.CANCELLED)
                    : standing != null && !job.publishes && standing.ended() ? Optional.of(EncodeWatcher.Stop.ENDED)
                    : job.limited ? limits.overdue(job, now) : Optional.empty();
            stop.ifPresent(reason -> stops.signal(run, job, reason));
        } catch (AttemptLost e) {
            stops.signal(run, job, EncodeWatcher.Stop.LOST); // another worker began the job: this run is of no use
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not watch {}: {}", run, e.getMessage());
        }
    }
}
