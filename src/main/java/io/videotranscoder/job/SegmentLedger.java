package io.videotranscoder.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import redis.clients.jedis.UnifiedJedis;

/**
 * The count of a split job's parts, kept in the job's hash, and the queue of its parts. A script queues every part
 * with the count (so a job is split once per run), and a script counts a stored part and, for the last one, queues
 * the join, in the same step: two workers storing the last two parts at once both run it, one after the other, and
 * only the one that brings the count to zero queues the join. A part counts once ({@code HSETNX} on its name), so a
 * part redone after its worker died between storing it and acknowledging its entry changes nothing.
 * <p>
 * Why not camel-redis' {@code RedisAggregationRepository}: an aggregator completes inside one JVM, and its
 * repository's recovery replays an exchange that was aggregated but not confirmed; the queue entry of the part, the
 * aggregation and the join's queueing are then three writes a kill -9 can separate, so that a replay queues a second
 * join or a lost add queues none. One script is one write.
 * <p>
 * Each run of the split has a token ({@code splitRun}): parts of an earlier run (a job retried after a failure) are
 * recognised and dropped.
 */
public class SegmentLedger {

    private static final String SPLIT = """
            if redis.call('HGET', KEYS[1], 'status') ~= 'running' then return 'not running' end
            if redis.call('HGET', KEYS[1], 'attempt') ~= ARGV[1] then return 'lost' end
            if (redis.call('HGET', KEYS[1], 'cancelRequestedAt') or '') ~= '' then return 'cancel-asked' end
            local run = redis.call('HGET', KEYS[1], 'splitRun')
            if run and run ~= '' then return 'split' end
            redis.call('HSET', KEYS[1], 'splitRun', ARGV[1], 'segmentsTotal', ARGV[2], 'segmentsDone', '0',
              'partsLeft', ARGV[3], 'splitSeconds', ARGV[4], 'splitDoneSeconds', '0', 'segmentLength', ARGV[5])
            local width = tonumber(ARGV[6])
            local i = 7
            while i <= #ARGV do
              redis.call('XADD', KEYS[2], '*', 'split', ARGV[1], unpack(ARGV, i, i + width - 1))
              i = i + width
            end
            return 'ok'""";

    private static final String STORED = """
            local status = redis.call('HGET', KEYS[1], 'status')
            if not status then return {'missing'} end
            if status ~= 'running' or redis.call('HGET', KEYS[1], 'splitRun') ~= ARGV[1] then return {status} end
            if redis.call('HSETNX', KEYS[1], ARGV[2], '1') == 0 then return {'again'} end
            if ARGV[4] == 'segment' then redis.call('HINCRBY', KEYS[1], 'segmentsDone', 1) end
            local done = redis.call('HINCRBYFLOAT', KEYS[1], 'splitDoneSeconds', ARGV[3])
            local total = redis.call('HGET', KEYS[1], 'splitSeconds')
            if redis.call('HINCRBY', KEYS[1], 'partsLeft', -1) == 0 then
              redis.call('XADD', KEYS[2], '*', 'split', ARGV[1], 'job', ARGV[5], 'part', 'join', 'index', '0',
                'from', '0', 'to', '', 'seconds', '0')
              return {'join', done, total}
            end
            return {'counted', done, total}""";

    /**
     * A join begins as an attempt of its own: it takes the job (a new token, which fences every later write of an
     * earlier join) unless the job moved on, or a later delivery of the same entry began it already (this one is a
     * worker's that paused past its lease, and another worker took the entry over).
     */
    private static final String JOIN = """
            if redis.call('HGET', KEYS[1], 'status') ~= 'running' then return false end
            if redis.call('HGET', KEYS[1], 'splitRun') ~= ARGV[1] then return false end
            if redis.call('HGET', KEYS[1], 'partsLeft') ~= '0' then return false end
            if redis.call('HGET', KEYS[1], 'joinEntry') == ARGV[2]
               and tonumber(redis.call('HGET', KEYS[1], 'joinDelivery')) > tonumber(ARGV[3]) then
              return false
            end
            redis.call('HSET', KEYS[1], 'attempt', ARGV[4], 'joinEntry', ARGV[2], 'joinDelivery', ARGV[3])
            return ARGV[4]""";

    /** What counting a stored part did. */
    public enum Count { COUNTED, JOIN_QUEUED, AGAIN, STALE }

    /** @param percent the job's progress, by the duration its counted segments cover */
    public record Counted(Count count, int percent) {
    }

    private final UnifiedJedis redis;
    private final JobKeys keys;

    public SegmentLedger(JobStore store) {
        this.redis = store.redis();
        this.keys = store.keys();
    }

    /**
     * Queues the parts of a running job as run {@code run} (the attempt that holds it), unless the job was split
     * already or another attempt holds it.
     *
     * @return whether this call queued them
     * @throws JobFailure when a client's cancel waits: no part is queued, and the worker's judgement of the failure
     *                    finds the cancel and carries it out
     */
    public boolean split(String id, String run, List<Part> parts) {
        double seconds = parts.stream().mapToDouble(Part::seconds).sum();
        List<String> args = new ArrayList<>(List.of(run,
                Long.toString(parts.stream().filter(p -> p.kind() == Part.Kind.SEGMENT).count()),
                Integer.toString(parts.size()), Double.toString(seconds), parts.stream()
                        .filter(p -> p.kind() == Part.Kind.SEGMENT && p.index() == 1).findFirst()
                        .map(p -> Double.toString(p.at())).orElse(""),
                Integer.toString(2 * parts.get(0).fields().size())));
        parts.forEach(part -> part.fields().forEach((k, v) -> {
            args.add(k);
            args.add(v);
        }));
        Object answer = redis.eval(SPLIT, List.of(keys.job(id), keys.parts()), args);
        if ("cancel-asked".equals(answer)) {
            throw new JobFailure("internal", "A cancel was asked before the job's parts were queued.");
        }
        return "ok".equals(answer);
    }

    /**
     * Begins the join of run {@code run} from delivery {@code delivery} of queue entry {@code entry}, as a new attempt
     * of the job.
     *
     * @return the join's attempt token; empty when the job moved on, or a later delivery of the entry began the join
     */
    public Optional<String> beginJoin(String id, String run, String entry, long delivery) {
        Object token = redis.eval(JOIN, List.of(keys.job(id)), List.of(run, entry, Long.toString(delivery),
                Attempts.token()));
        return Optional.ofNullable(token).map(String::valueOf);
    }

    /** The run the job's parts belong to; empty when it was not split. */
    public Optional<String> run(String id) {
        String run = redis.hget(keys.job(id), "splitRun");
        return run == null || run.isEmpty() ? Optional.empty() : Optional.of(run);
    }

    /**
     * The length of the job's segments, by which the join places them (the second one begins one length after the
     * video's first frame: {@link Part#at}); empty for a job split before it was stored.
     */
    public Optional<Double> segmentLength(String id) {
        String length = redis.hget(keys.job(id), "segmentLength");
        return length == null || length.isEmpty() ? Optional.empty() : Optional.of(Double.valueOf(length));
    }

    /** Whether the part was stored and counted for run {@code run}: its worker may have stopped before it said so. */
    public boolean counted(Part part, String run) {
        return redis.hexists(keys.job(part.job()), counter(run, part));
    }

    /** Counts a part stored whole; the last one queues the join. */
    public Counted stored(Part part, String run) {
        List<?> answer = (List<?>) redis.eval(STORED, List.of(keys.job(part.job()), keys.parts()),
                List.of(run, counter(run, part), Double.toString(part.seconds()),
                        part.kind().name().toLowerCase(java.util.Locale.ROOT), part.job()));
        String what = String.valueOf(answer.get(0));
        Count count = switch (what) {
            case "join" -> Count.JOIN_QUEUED;
            case "counted" -> Count.COUNTED;
            case "again" -> Count.AGAIN;
            default -> Count.STALE;
        };
        int percent = 0;
        if (answer.size() == 3) {
            double done = Double.parseDouble(String.valueOf(answer.get(1)));
            double total = Double.parseDouble(String.valueOf(answer.get(2)));
            percent = total <= 0 ? 0 : (int) Math.min(99, Math.floor(99 * done / total));
        }
        return new Counted(count, percent);
    }

    /** The job's field that says the part counted, for run {@code run}: set by {@link #STORED}. */
    private static String counter(String run, Part part) {
        return "part:" + run + ":" + part.fileName();
    }

    /** The parts' queue, for the segment route's consumer. */
    public String queue() {
        return keys.parts();
    }
}
