package io.videotranscoder.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.videotranscoder.ffmpeg.FfmpegArguments;
import io.videotranscoder.process.JvmShutdown;
import org.apache.camel.Exchange;

/**
 * Watches the encodes this worker runs, every watch period (the encode-watch route), one {@link EncodeLook} at each:
 * publishes their progress (percent, speed, fps, ETA) and stops an FFmpeg whose job was cancelled, which went past its
 * {@link EncodeLimits}, or whose input the probe beside it refused. FFmpeg (and the probe beside it) are found among
 * this JVM's child processes by their job's folder, which both name (a split job's part: by its own folder), and
 * stopped as {@link EncodeStops} says.
 * Each run is watched under a key of its own ({@link #run}): one job may have several runs in one worker at once.
 * Whether this service sent the signal decides what a stopped FFmpeg means, never its exit code (FFmpeg exits 255 on
 * its own errors too).
 */
public class EncodeWatcher {

    /** Why the watcher stopped an encode. ENDED: a part's job ended meanwhile (another part failed it). */
    public enum Stop { CANCELLED, STALLED, TOO_SLOW, TIMEOUT, REFUSED, LOST, ENDED }

    /** {@link #now}'s zero, so that its times are never negative (a watched encode's -1 means "not yet"). */
    private static final long ORIGIN = System.nanoTime();
    /** FFmpeg reports its progress at least this often. */
    private static final Duration LONGEST_REPORT_PERIOD = Duration.ofMillis(500);

    /** A part's (or a join's) own folder, on its exchange: it names the part's run (see {@link #run}). */
    static final String PART_FOLDER = "transcoderPartWork";

    private final Map<String, WatchedEncode> running = new ConcurrentHashMap<>();
    private final EncodeStops stops;
    private final EncodeLook look;
    private final Duration reportPeriod;

    /**
     * @param period        how often the watcher looks at each encode (the encode-watch route's timer)
     * @param stallTimeout  how long FFmpeg's media time may stand still
     * @param maxSlowdown   an encode may last this many times its input's duration (at least {@code minLimit})
     * @param encodeTimeout how long any encode may last
     * @param grace         how long a stopped FFmpeg has to exit on SIGTERM before it gets SIGKILL
     */
    public EncodeWatcher(JobStore store, Duration period, Duration stallTimeout, double maxSlowdown, Duration minLimit,
            Duration encodeTimeout, Duration grace) {
        this.reportPeriod = reportPeriod(period);
        this.stops = new EncodeStops(grace);
        this.look = new EncodeLook(store, new EncodeLimits(stallTimeout, maxSlowdown, minLimit, encodeTimeout), stops);
    }

    /**
     * @param attempt the attempt's token: its progress writes are refused once another attempt holds the job
     * @param jobDir  the job's folder: every program run for the job names a file inside it
     * @param workDir the attempt's folder, where FFmpeg writes and reports its progress
     */
    void start(String id, String attempt, Path jobDir, Path workDir, Double durationSeconds) {
        running.put(jobRun(id, attempt), new WatchedEncode(id, attempt, jobDir, workDir, durationSeconds,
                now()));
    }

    /**
     * Watches the measure of the job's input ({@link ExecStages#measure}) under the key its encode will have: a cancel
     * stops it as it stops an encode; its progress is not the job's, and its length is unknown.
     */
    void startMeasure(String id, String attempt, Path jobDir, Path workDir) {
        running.put(jobRun(id, attempt), WatchedEncode.measure(id, attempt, jobDir, workDir, now()));
    }

    /**
     * Watches the probe that runs before the encode, under the key the encode will have: a cancel stops it (a probe may
     * take its whole time limit on an input that is slow to read), nothing else does. A probe beside the encode, on
     * another thread, never takes the encode's watch (whichever begins first): the encode's stops both.
     */
    void startProbe(String id, String attempt, Path jobDir, Path workDir) {
        running.putIfAbsent(jobRun(id, attempt), WatchedEncode.probe(id, attempt, jobDir, workDir, now()));
    }

    /**
     * Watches a part of a split job as a run of its own, under {@link #partRun}: several parts of one job may run in
     * this worker at once, and beside the run that split it. A part is stopped like any encode, but alone (its programs
     * are those that name its folder), and its progress is not the job's.
     *
     * @param part     the part's own folder, named by each of its programs
     * @param progress where its FFmpeg writes and reports its progress: the part's folder, or the join's outputs'
     * @param seconds  how much of the input it covers (a segment's span, the whole for the audio and the join): it is
     *                 stopped as too slow past the same multiple of that as a whole encode; null when unknown
     */
    void startPart(String id, String attempt, Path part, Path progress, Double seconds) {
        running.put(partRun(id, part), WatchedEncode.part(id, attempt, part, progress, seconds,
                now()));
    }

    /**
     * The key a part's run is watched, stopped and judged under: its job's id and its folder's name (a part's own, or
     * a join's; see {@link #PART_FOLDER}).
     */
    static String partRun(String id, Path work) {
        return id + "/" + (work == null ? "" : work.getFileName());
    }

    /**
     * The key of a whole run of the job (its encode): its id and its attempt's token. Another attempt of the job may
     * run in this JVM too, on another thread, once this one lost its lease.
     */
    static String jobRun(String id, String attempt) {
        return id + "@" + attempt;
    }

    /** The key of the run the exchange is: a part's or a join's (it has a {@link #PART_FOLDER}), or a whole run's. */
    static String run(Exchange exchange, String id) {
        Path part = exchange.getProperty(PART_FOLDER, Path.class);
        return part != null ? partRun(id, part) : jobRun(id, Attempts.of(exchange));
    }

    /** The attempt lost its job to another worker, or to another thread of this one: its FFmpeg is stopped at once. */
    void abandon(String id, String attempt) {
        stopNow(jobRun(id, attempt), Stop.LOST);
    }

    /** FFmpeg's {@code args}, after those that make it report its progress where this watcher reads it. */
    List<String> reporting(Path workDir, List<String> args) {
        List<String> all = new ArrayList<>(FfmpegArguments.progress(workDir, reportPeriod));
        all.addAll(args);
        return all;
    }

    /** FFmpeg reports its progress as often as the watcher looks, and at least twice a second. */
    static Duration reportPeriod(Duration watchPeriod) {
        return watchPeriod.compareTo(LONGEST_REPORT_PERIOD) < 0 ? watchPeriod : LONGEST_REPORT_PERIOD;
    }

    /** The longest a program run by this watcher's worker takes to exit once stopped. */
    public Duration grace() {
        return stops.grace();
    }

    /** The input's duration, once a probe run beside the encode has found it. */
    void duration(String run, Double durationSeconds) {
        WatchedEncode job = running.get(run);
        if (job != null) {
            job.durationSeconds(durationSeconds);
        }
    }

    /**
     * Stops watching a run (its {@link #run} key); synchronized with {@link #watch()} so no report lands after the
     * outcome.
     */
    synchronized void stop(String run) {
        running.remove(run);
    }

    /** Forgets the run once its exchange is over, stopped or not. */
    void forget(String run) {
        stops.forget(run);
    }

    /** Why the watcher stopped the run's FFmpeg, if it did. */
    Optional<Stop> stopReason(String run) {
        return stops.reason(run);
    }

    /** Whether the JVM is shutting down, which stops every program it started. */
    static boolean shuttingDown() {
        return JvmShutdown.started();
    }

    /**
     * The watcher's clock, in milliseconds: monotonic, so that a step of the system's clock (a correction, a machine
     * resumed) neither stops every encode as stalled nor blinds the watch for as long as it stepped back.
     */
    static long now() {
        return (System.nanoTime() - ORIGIN) / 1_000_000;
    }

    /** Stops the run's programs now, for {@code reason}; the watch repeats the signal until they are gone. */
    synchronized void stopNow(String run, Stop reason) {
        WatchedEncode job = running.get(run);
        if (job != null) {
            stops.signal(run, job, reason);
        }
    }

    public synchronized void watch() {
        long now = now();
        running.forEach((run, job) -> look.at(run, job, now));
    }
}
