package io.videotranscoder.job;

import java.time.Duration;

/**
 * The job's events, an outbox stream ({@code <prefix>job-events}) that the scripts changing a job append to in the
 * same step as the change: a status change is never stored without its event, nor an event without its change, so
 * whoever reads the stream (webhook deliveries) misses none, whatever process dies when. Each entry carries what a
 * reader needs of the job at that moment, so that a later change of the job cannot alter it.
 */
public final class JobEventLog {

    /** {@code job.queued}, {@code job.started}, {@code job.succeeded}, {@code job.failed}, {@code job.cancelled}, {@code job.progress}. */
    public static final String TYPE = "type";
    public static final String JOB = "job";
    public static final String STATUS = "status";
    /** When it happened: milliseconds since the epoch, Redis's clock. */
    public static final String AT = "at";
    /** The job's tenant, {@code default} where it has none. */
    public static final String TENANT = "tenant";
    /** The job's own callback URL; empty when it has none. */
    public static final String CALLBACK_URL = "callbackUrl";
    /** Why it failed (or went back on the queue); empty otherwise. */
    public static final String ERROR = "error";
    /** The outputs as stored on the job (JSON); empty until it succeeded. */
    public static final String OUTPUTS = "outputs";
    /** Percent done. */
    public static final String PROGRESS = "progress";
    /** A running job's {@code job.progress} is recorded at most this often, and only when its percent moved. */
    public static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    /**
     * A Lua function for the scripts: {@code record_event(hash, stream, id, type)} appends the event {@code type} of
     * the job in {@code hash} (read after the change), and {@code event_of(status)} names a status's event.
     */
    static final String LUA = """
            local function event_of(status)
              local names = {queued = 'job.queued', running = 'job.started', succeeded = 'job.succeeded',
                failed = 'job.failed', cancelled = 'job.cancelled'}
              return names[status]
            end
            local function record_event(hash, stream, id, type)
              local t = redis.call('TIME')
              local at = string.format('%.0f', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
              local f = redis.call('HMGET', hash, 'status', 'tenant', 'callbackUrl', 'error', 'outputs', 'progress')
              redis.call('XADD', stream, '*', 'type', type, 'job', id, 'status', f[1] or '', 'at', at,
                'tenant', f[2] or 'default', 'callbackUrl', f[3] or '', 'error', f[4] or '', 'outputs', f[5] or '',
                'progress', f[6] or '0')
            end
            """;

    private JobEventLog() {
    }

    /** The stream's key under {@code prefix}. */
    public static String key(String prefix) {
        return prefix + "job-events";
    }
}
