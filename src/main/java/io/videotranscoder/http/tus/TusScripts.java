package io.videotranscoder.http.tus;

/** The Lua scripts of {@link TusStore}: each move of an upload, its lock, and its key's count of unfinished ones. */
final class TusScripts {

    /**
     * A key's unfinished uploads are a sorted set by expiry, named in each upload's hash ({@code open}) and kept by
     * each move below; the expired ones are dropped as the key makes its next upload, and the set itself expires with
     * the last of them (a key that uploads no more, or was deleted, leaves nothing behind). An upload kept longer (an
     * advance, a renewal of its lock) moves its stated expiry, its hash's and its place in that set alike
     * ({@code kept_until}).
     */
    private static final String OPEN = """
            local function expires_with_last(open)
              local last = redis.call('ZRANGE', open, -1, -1, 'WITHSCORES')
              if last[2] then redis.call('PEXPIREAT', open, last[2]) end
            end
            local function unfinished(open, id, expires_at)
              if open and open ~= '' then
                redis.call('ZADD', open, 'XX', expires_at, id)
                expires_with_last(open)
              end
            end
            local function finished(open, id)
              if open and open ~= '' then redis.call('ZREM', open, id) end
            end
            local function kept_until(upload, iso, expires_at)
              redis.call('HSET', upload, 'expiresAt', iso)
              redis.call('PEXPIREAT', upload, expires_at)
              unfinished(redis.call('HGET', upload, 'open'), upload, expires_at)
            end
            """;
    /** ARGV[2] is the key's set of unfinished uploads, ARGV[3] how many it may hold (0: any), ARGV[4] the time now. */
    static final String CREATE = OPEN + """
            if ARGV[2] ~= '' then
              redis.call('ZREMRANGEBYSCORE', ARGV[2], '-inf', ARGV[4])
              local most = tonumber(ARGV[3])
              if most > 0 and redis.call('ZCARD', ARGV[2]) >= most then return 0 end
              redis.call('ZADD', ARGV[2], ARGV[1], KEYS[1])
              expires_with_last(ARGV[2])
            end
            redis.call('HSET', KEYS[1], 'open', ARGV[2], unpack(ARGV, 5))
            redis.call('PEXPIREAT', KEYS[1], ARGV[1])
            return 1""";
    /**
     * Moves the offset only for the writer that holds the lock (KEYS[2], ARGV[5] its token), from the offset it began
     * at: a writer that lost its lock changes nothing, even before another wrote (which may have cut the file back).
     */
    static final String ADVANCE = OPEN + """
            if redis.call('GET', KEYS[2]) ~= ARGV[5] then return 0 end
            if redis.call('HGET', KEYS[1], 'offset') ~= ARGV[1] then return 0 end
            redis.call('HSET', KEYS[1], 'offset', ARGV[2])
            kept_until(KEYS[1], ARGV[3], ARGV[4])
            return 1""";
    /**
     * Marks the upload with its job only while it exists: a plain HSET would make a terminated or expired upload's
     * hash again, holding the job only and never expiring. HSET on the existing key keeps its expiry.
     */
    static final String FINISH = OPEN + """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            redis.call('HSET', KEYS[1], 'job', ARGV[1])
            finished(redis.call('HGET', KEYS[1], 'open'), KEYS[1])
            return 1""";
    static final String DELETE = OPEN + """
            finished(redis.call('HGET', KEYS[1], 'open'), KEYS[1])
            return redis.call('DEL', KEYS[1])""";
    /** The holder changes only while the upload exists: an HSET would make a gone upload's hash again. */
    static final String HOLD = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            return redis.call('HSET', KEYS[1], 'holder', ARGV[1])""";
    /**
     * The lock lives on, and the upload at least as long (its expiry, and its place among its key's unfinished uploads,
     * as an advance moves them): a PATCH still streaming its bytes when the upload's expiry comes (a large file on a
     * slow link) must find the upload there to advance its offset once they are in.
     */
    /**
     * Takes the lock, and keeps the upload at least as long (as a renewal does): a request that began in its last
     * seconds found it gone before its first renewal, its bytes answered 404 or its job left unnamed.
     */
    static final String LOCK = OPEN + """
            if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
            local left = redis.call('PTTL', KEYS[2])
            if left >= 0 and left < tonumber(ARGV[2]) then
              kept_until(KEYS[2], ARGV[3], ARGV[4])
            end
            return 1""";
    static final String RENEW = OPEN + """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
            local left = redis.call('PTTL', KEYS[2])
            if left >= 0 and left < tonumber(ARGV[2]) then
              kept_until(KEYS[2], ARGV[3], ARGV[4])
            end
            return redis.call('PEXPIRE', KEYS[1], ARGV[2])""";
    static final String RELEASE = """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
            return redis.call('DEL', KEYS[1])""";

    private TusScripts() {
    }
}
