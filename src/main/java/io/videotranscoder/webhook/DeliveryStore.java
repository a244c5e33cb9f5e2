package io.videotranscoder.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.videotranscoder.redis.RedisClockLua;
import io.videotranscoder.redis.ScriptArgs;
import io.videotranscoder.redis.StreamIdsLua;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;

/**
 * Every delivery not yet ended lives in Redis, never only in a process: its hash, and either an entry of the send
 * stream (to be attempted now, read through a consumer group) or a place in the schedule (a sorted set by due time).
 * Each move between them is one script, so that a delivery is always in exactly one, whatever dies when.
 */
public class DeliveryStore {

    /** A delivery of an event to a target, once: a fan-out done again (its entry redelivered) adds nothing. */
    private static final String CREATE = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('HSET', KEYS[1], unpack(ARGV, 3))
            redis.call('SADD', KEYS[3], ARGV[1])
            redis.call('ZADD', KEYS[4], ARGV[2], ARGV[1])
            redis.call('XADD', KEYS[2], '*', 'delivery', ARGV[1])
            return 1""";

    /**
     * Due deliveries (by Redis's clock, whichever process's clock is ahead) go from the schedule to the send stream,
     * each in the same step.
     */
    private static final String MOVE_DUE = RedisClockLua.NOW + """
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
            for _, id in ipairs(due) do
              redis.call('ZREM', KEYS[1], id)
              redis.call('XADD', KEYS[2], '*', 'delivery', id)
            end
            return #due""";

    /**
     * Records an attempt of the send entry ARGV[2] and what follows: scheduled again (ARGV[4] = pending, ARGV[5] ms
     * from now on Redis's clock) or ended. Recorded once per entry, and only while the delivery is pending; never for
     * an entry up to the one last recorded (see {@link #staleEntry}).
     */
    private static final String SETTLE = StreamIdsLua.OLDER + RedisClockLua.NOW + """
            local state = redis.call('HGET', KEYS[1], 'state')
            if not state then return 'missing' end
            local last = redis.call('HGET', KEYS[1], 'settledEntry')
            if last and not older(last, ARGV[2]) then return 'again' end
            if state ~= 'pending' then return state end
            local nextAt = ARGV[5] == '' and '' or tostring(now + tonumber(ARGV[5]))
            redis.call('HSET', KEYS[1], 'settledEntry', ARGV[2], 'state', ARGV[4], 'nextAt', nextAt)
            if ARGV[3] ~= '' then
              redis.call('RPUSH', KEYS[2], ARGV[3])
              redis.call('HINCRBY', KEYS[1], 'attempts', 1)
            end
            if ARGV[4] == 'pending' then
              redis.call('ZADD', KEYS[3], nextAt, ARGV[1])
              return 'ok'
            end
            redis.call('SREM', KEYS[4], ARGV[1])
            if ARGV[4] == 'dead' then redis.call('ZADD', KEYS[5], ARGV[6], ARGV[1]) end
            for i = 1, 2 do redis.call('EXPIRE', KEYS[i], ARGV[7]) end
            redis.call('EXPIRE', KEYS[6], ARGV[7])
            return 'ok'""";

    private final UnifiedJedis redis;
    private final String prefix;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public DeliveryStore(UnifiedJedis redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    /**
     * Whether a send entry is for an attempt recorded already: the last recorded one, redelivered, or an earlier one a
     * member died holding and another took over after the later attempts were made. A delivery's entries are queued
     * one after the other's attempt is recorded, so each earlier one has a smaller id.
     */
    public static boolean staleEntry(Delivery d, String entry) {
        return d.settledEntry() != null
               && new StreamEntryID(entry).compareTo(new StreamEntryID(d.settledEntry())) <= 0;
    }

    /** The stream each delivery's attempt is taken from, through the {@code senders} group. */
    public String sendStream() {
        return prefix + "webhook:sends";
    }

    private String key(String id) {
        return prefix + "webhook:delivery:" + id;
    }

    private String attemptsKey(String id) {
        return prefix + "webhook:attempts:" + id;
    }

    private String jobKey(String job) {
        return prefix + "webhook:job:" + job;
    }

    private String scheduled() {
        return prefix + "webhook:scheduled";
    }

    private String pendingKey() {
        return prefix + "webhook:pending";
    }

    private String deadKey() {
        return prefix + "webhook:dead";
    }

    /** Stores a new delivery and queues its first attempt; false when it existed already. */
    public boolean create(Delivery d) {
        List<String> args = ScriptArgs.of(DeliveryHash.toHash(d), d.id(), Long.toString(d.createdAt().toEpochMilli()));
        return Long.valueOf(1).equals(redis.eval(CREATE, List.of(key(d.id()), sendStream(), pendingKey(),
                jobKey(d.job())), args));
    }

    public Optional<Delivery> load(String id) {
        Map<String, String> hash = redis.hgetAll(key(id));
        return hash.isEmpty() ? Optional.empty() : Optional.of(DeliveryHash.fromHash(hash));
    }

    /** Queues the deliveries due by now on Redis's clock (at most {@code limit}); how many it queued. */
    public long moveDue(int limit) {
        return (Long) redis.eval(MOVE_DUE, List.of(scheduled(), sendStream()), List.of(Integer.toString(limit)));
    }

    /**
     * Records {@code attempt} (null: none was made) of send entry {@code entry} and its outcome; an ended delivery and
     * its attempts are kept for {@code retention}. A delivery to try again is due after {@code wait}, on Redis's clock:
     * a sender whose clock is ahead of the others' sends it no sooner.
     *
     * @return false when the entry was recorded before, or the delivery had ended or is gone: nothing was changed
     */
    public boolean settle(Delivery d, String entry, Attempt attempt, DeliveryOutcome outcome, Duration wait,
            Instant now, Duration retention) {
        List<String> keys = List.of(key(d.id()), attemptsKey(d.id()), scheduled(), pendingKey(), deadKey(),
                jobKey(d.job()));
        List<String> args = List.of(d.id(), entry, attempt == null ? "" : write(attempt), outcome.state().value(),
                wait == null ? "" : Long.toString(wait.toMillis()), Long.toString(now.toEpochMilli()),
                Long.toString(Math.max(1, retention.toSeconds())));
        return "ok".equals(redis.eval(SETTLE, keys, args));
    }

    /** A delivery and its attempts so far. */
    public record History(Delivery delivery, List<Attempt> attempts) {
    }

    /** A job's deliveries, oldest first, each with its attempts. */
    public List<History> forJob(String job) {
        List<History> deliveries = new ArrayList<>();
        for (String id : redis.zrange(jobKey(job), 0, -1)) {
            load(id).ifPresent(d -> deliveries.add(new History(d, redis.lrange(attemptsKey(id), 0, -1).stream()
                    .map(this::read).toList())));
        }
        return deliveries;
    }

    /** Deliveries not yet ended. */
    public long pending() {
        return redis.scard(pendingKey());
    }

    /** Deliveries dead-lettered within the retention. */
    public long dead() {
        return redis.zcard(deadKey());
    }

    /** Forgets dead letters older than {@code before}, whose records have expired with them. */
    public void forgetDeadBefore(Instant before) {
        redis.zremrangeByScore(deadKey(), 0, before.toEpochMilli());
    }

    /** A job's callback answered 410: none of its later events is sent there. */
    public void markCallbackGone(String job, Duration retention) {
        redis.setex(prefix + "webhook:callback-gone:" + job, Math.max(1, retention.toSeconds()), "1");
    }

    public boolean callbackGone(String job) {
        return redis.exists(prefix + "webhook:callback-gone:" + job);
    }

    private String write(Attempt attempt) {
        try {
            return json.writeValueAsString(attempt);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Attempt read(String text) {
        try {
            return json.readValue(text, Attempt.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable attempt: " + text, e);
        }
    }
}
