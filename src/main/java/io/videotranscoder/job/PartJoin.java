package io.videotranscoder.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.videotranscoder.ffmpeg.FfmpegSandbox;
import io.videotranscoder.ffmpeg.FfmpegTools;
import io.videotranscoder.ffmpeg.Mp4Boxes;
import io.videotranscoder.ffmpeg.SegmentArguments;
import org.apache.camel.Exchange;

/**
 * The join of a split job: its segments in order, concatenated without re-encoding, with the audio muxed in (a ladder:
 * each rendition's, packaged as HLS), written to the work folder of the join's own attempt, so that the
 * worker's verification and publication take it from there as they take any encode's outputs.
 */
class PartJoin {

    private final JobStore store;
    private final SegmentLedger ledger;
    private final JobFiles files;
    private final PartFiles parts;
    private final EncodeWatcher watcher;
    private final FfmpegTools ffmpeg;
    private final FfmpegSandbox sandbox;
    private final Duration encodeTimeout;
    private final AttemptFence fence;

    PartJoin(JobStore store, SegmentLedger ledger, JobFiles files, PartFiles parts, EncodeWatcher watcher,
            FfmpegTools ffmpeg, FfmpegSandbox sandbox, Duration encodeTimeout) {
        this.store = store;
        this.ledger = ledger;
        this.files = files;
        this.parts = parts;
        this.watcher = watcher;
        this.ffmpeg = ffmpeg;
        this.sandbox = sandbox;
        this.encodeTimeout = encodeTimeout;
        this.fence = new AttemptFence(store);
    }

    /** The stored parts' names: every segment, in order, then the audio where the input has one. */
    List<String> names(Job job) {
        int total = Integer.parseInt(store.redis().hget(store.keys().job(job.id()), "segmentsTotal"));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            names.add(new Part(job.id(), Part.Kind.SEGMENT, i, 0, null, 0).fileName());
        }
        if (job.input() != null && job.input().hasAudio()) {
            names.add(new Part(job.id(), Part.Kind.AUDIO, 0, 0, null, 0).fileName());
        }
        return names;
    }

    /**
     * @param run     the split run whose parts are joined
     * @param scratch a folder of this run's own, for the concat list (the work folder's files are all published)
     * @throws PartsGone when a part is not there
     */
    void ready(Exchange exchange, Job job, String run, List<String> names, Path scratch) throws IOException {
        List<Path> stored = names.stream().map(name -> parts.parts(job.id(), run).resolve(name)).toList();
        for (Path part : stored) {
            if (!Files.isRegularFile(part)) {
                throw new PartsGone(job.id());
            }
        }
        boolean audio = job.input().hasAudio();
        List<Path> segments = audio ? stored.subList(0, stored.size() - 1) : stored;
        List<Double> planned = ledger.segmentLength(job.id())
                .map(length -> SplitPlan.plannedSeconds(job.input(), length, segments.size())).orElse(null);
        Set<Path> pictureless = new HashSet<>();
        for (Path segment : segments) {
            if (!Mp4Boxes.holdsMedia(segment)) {
                pictureless.add(segment);
            }
        }
        Path list = Files.writeString(scratch.resolve("segments.ffconcat"),
                SegmentArguments.concatList(segments, planned, pictureless::contains));
        Attempts.requireHeld(exchange, fence, job.id()); // a join that lost the job empties no one's folder
        Path out = files.freshWorkDir(job.id(), Attempts.of(exchange));
        watcher.startPart(job.id(), Attempts.of(exchange), scratch, out, job.input().durationSeconds());
        // The job's encode speed is over all its parts: from when it began (it was split then) to the join's end.
        ExecStages.judgeAs(exchange, "encode", job.startedAt().toEpochMilli());
        sandbox.ready(exchange.getIn(), ffmpeg.ffmpeg(), watcher.reporting(out, SegmentArguments.join(list,
                audio ? stored.get(stored.size() - 1) : null, out, job.preset(), job.input())), out, encodeTimeout);
    }
}
