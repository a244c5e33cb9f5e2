package io.videotranscoder.job;

/**
 * The Lua scripts of {@link JobTransitions}: every status change (checks, the change, its indexes and event), and a
 * cancel's request.
 */
final class TransitionScript {

    /**
     * A cancel of a running job is a request ({@link JobTransitions#requestCancel}): its worker stops FFmpeg, then
     * stores {@code cancelled} through {@link #LUA}.
     */
    static final String REQUEST_CANCEL = """
            local current = redis.call('HGET', KEYS[1], 'status')
            if not current then return 'missing' end
            if current ~= 'running' then return current end
            redis.call('HSET', KEYS[1], 'cancelRequestedAt', ARGV[1])
            return 'ok'""";

    /**
     * ARGV[5], when not empty, is the attempt that must hold the job (see {@link AttemptFence}). ARGV[6] guards the
     * move: {@code cancel} refuses it while a client's cancel waits ({@link JobMove#refusedWhileCancelAsked()}),
     * {@code unsplit} once the job runs as parts ({@value JobTransitions#SPLIT}, {@link JobMove#refusedOnceSplit()}),
     * both words may be given; {@code entry=<id> <run> [<delivery>]} while the job runs from another queue entry than
     * {@code <id>}, or another run than {@code <run>} ({@value JobTransitions#RUN}), or runs as parts
     * ({@value JobTransitions#SPLIT}), or began from a later delivery of the entry than {@code <delivery>}
     * ({@value JobTransitions#TAKEN_OVER}), or a give-up's failure while a client's cancel is asked
     * ({@code cancel-asked}), and {@code ended} once the ended job's original was handed back to its user
     * ({@value JobTransitions#HANDED_BACK}) or its removal began ({@value JobTransitions#REMOVING}). A job an API key
     * submitted ({@code owner}) is in that key's set of active jobs (KEYS[4] precedes the key's id) exactly while its
     * status is not final: it leaves the set in the same script as it ends, and a retried job joins it again. Set
     * membership makes each exactly once, however often a move is asked. KEYS[5], when given, is the queue the job
     * gets an entry on (its id and {@code run}) in the same step: a job queued again is never left without one.
     */
    static final String LUA = JobEventLog.LUA + """
            local current = redis.call('HGET', KEYS[1], 'status')
            if not current then return 'missing' end
            if ARGV[5] ~= '' and redis.call('HGET', KEYS[1], 'attempt') ~= ARGV[5] then return 'lost' end
            local guards = string.sub(ARGV[6], 1, 6) == 'entry=' and '' or ' ' .. ARGV[6] .. ' '
            local function guarded(name) return string.find(guards, ' ' .. name .. ' ', 1, true) end
            if guarded('cancel') and (redis.call('HGET', KEYS[1], 'cancelRequestedAt') or '') ~= '' then
              return 'cancel-asked'
            end
            if guarded('unsplit') and (redis.call('HGET', KEYS[1], 'splitRun') or '') ~= '' then return 'split' end
            if string.sub(ARGV[6], 1, 6) == 'entry=' then
              local id, run, delivery = string.match(ARGV[6], '^entry=(%S*) (%S*) ?(%d*)$')
              local entry = redis.call('HGET', KEYS[1], 'entry') or ''
              if entry ~= '' and entry ~= id then return 'other-entry' end
              if (redis.call('HGET', KEYS[1], 'run') or '') ~= run then return 'other-entry' end
              if (redis.call('HGET', KEYS[1], 'splitRun') or '') ~= '' then return 'split' end
              if delivery ~= '' and entry == id
                 and tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0') > tonumber(delivery) then
                return 'taken-over'
              end
              if ARGV[2] == 'failed' and (redis.call('HGET', KEYS[1], 'cancelRequestedAt') or '') ~= '' then
                return 'cancel-asked'
              end
            end
            if ARGV[6] == 'ended' then
              if (redis.call('HGET', KEYS[1], 'handedBack') or '') ~= '' then return 'handedBack' end
              if (redis.call('HGET', KEYS[1], 'removing') or '') ~= '' then return 'removing' end
            end
            local allowed = false
            for s in string.gmatch(ARGV[3], '%S+') do
              if s == current then allowed = true end
            end
            if not allowed then return current end
            redis.call('HSET', KEYS[1], 'status', ARGV[2], unpack(ARGV, 7))
            if current ~= ARGV[2] then
              local score = redis.call('ZSCORE', KEYS[2] .. 'all', ARGV[1])
              redis.call('ZREM', KEYS[2] .. current, ARGV[1])
              redis.call('ZADD', KEYS[2] .. ARGV[2], score, ARGV[1])
              local owner = redis.call('HGET', KEYS[1], 'owner')
              if owner then
                if ARGV[2] == 'succeeded' or ARGV[2] == 'failed' or ARGV[2] == 'cancelled' then
                  redis.call('SREM', KEYS[4] .. owner, ARGV[1])
                else
                  redis.call('SADD', KEYS[4] .. owner, ARGV[1])
                end
              end
              redis.call('PUBLISH', ARGV[4], ARGV[1] .. ' ' .. ARGV[2])
              record_event(KEYS[1], KEYS[3], ARGV[1], event_of(ARGV[2]))
            end
            if KEYS[5] then
              redis.call('XADD', KEYS[5], '*', 'job', ARGV[1], 'run', redis.call('HGET', KEYS[1], 'run') or '')
            end
            return 'ok'""";

    private TransitionScript() {
    }
}
