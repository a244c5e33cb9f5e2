package io.videotranscoder.job;

import java.util.List;
import java.util.Locale;

/**
 * A fact of an ended job that one caller alone records, however many processes try at once: the first claim stores
 * its value and its claimant, each later claim gets them back (a claimant may claim again to change its own value).
 * Where an inbox job's result went is one: every API process may deliver it (its job's end event, a DELETE, the job's
 * expiry), and only one delivery may put it in the outbox.
 */
public final class EndedClaims {

    /**
     * KEYS[1] the job; ARGV[1] the field, ARGV[2] the value (empty: only read), ARGV[3] the claimant, ARGV[4] the
     * claimant whose claim it may replace (the claimant itself, if none). The claimant is kept in the field named
     * ARGV[1] .. 'By'; a value recorded without one (before claims were kept) is the empty claimant's. Allowed when
     * Redis is full, as the other facts of an ended job are ({@link JobStore#recordEnded}): its removal waits on it.
     */
    private static final String CLAIM = """
            #!lua flags=allow-oom
            local status = redis.call('HGET', KEYS[1], 'status')
            if not status then return {'gone'} end
            if status == 'queued' or status == 'running' then return {'live'} end
            local value = redis.call('HGET', KEYS[1], ARGV[1])
            local by = redis.call('HGET', KEYS[1], ARGV[1] .. 'By') or ''
            if ARGV[2] ~= '' and (not value or by == ARGV[3] or by == ARGV[4]) then
              redis.call('HSET', KEYS[1], ARGV[1], ARGV[2], ARGV[1] .. 'By', ARGV[3])
              return {'recorded', ARGV[2], ARGV[3]}
            end
            if value then return {'recorded', value, by} end
            return {'open'}""";

    private final JobStore store;

    public EndedClaims(JobStore store) {
        this.store = store;
    }

    /** Where a claim stands. */
    public enum State {
        /** Nothing recorded yet: the job is ended, and the fact is anyone's to claim. */
        OPEN,
        /** Recorded, by {@link Claim#by()}. */
        RECORDED,
        /** The job runs again (retried): no fact of its end may be recorded. */
        LIVE,
        /** The job was removed. */
        GONE
    }

    /**
     * @param value what was recorded (empty unless {@link State#RECORDED})
     * @param by    who recorded it (empty for a value recorded before claims were kept)
     */
    public record Claim(State state, String value, String by) {

        public boolean recordedBy(String claimant) {
            return state == State.RECORDED && by.equals(claimant);
        }
    }

    /** Records {@code value} unless another claimant recorded its own first: the claim that stands is returned. */
    public Claim claim(String id, String field, String value, String claimant) {
        return replace(id, field, value, claimant, claimant);
    }

    /**
     * Records {@code value} in place of {@code stale}'s claim (one whose work was found undone), or where nothing is
     * recorded: of several claimants replacing the same claim, the first wins.
     */
    public Claim replace(String id, String field, String value, String claimant, String stale) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("An empty value claims nothing");
        }
        return run(id, field, value, claimant, stale);
    }

    /** The claim that stands, if any. */
    public Claim current(String id, String field) {
        return run(id, field, "", "", "");
    }

    private Claim run(String id, String field, String value, String claimant, String stale) {
        List<?> reply = (List<?>) store.redis().eval(CLAIM, List.of(store.keys().job(id)),
                List.of(field, value, claimant, stale));
        State state = State.valueOf(((String) reply.get(0)).toUpperCase(Locale.ROOT));
        return reply.size() < 3 ? new Claim(state, "", "") : new Claim(state, (String) reply.get(1),
                (String) reply.get(2));
    }
}
