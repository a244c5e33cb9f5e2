package io.videotranscoder.redis;

import java.util.List;

import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/** Which Redis failures pass: a request that met one may be sent again shortly. */
public final class RedisFailures {

    /**
     * The errors of a Redis that cannot take a command for now: full (maxmemory), a replica since a failover, loading
     * its data, busy with a script, a primary that lost its replicas or cannot save.
     */
    private static final List<String> PASSING = List.of("OOM ", "READONLY ", "LOADING ", "BUSY ", "MASTERDOWN ",
            "MISCONF ", "NOREPLICAS ", "TRYAGAIN ", "CLUSTERDOWN ");

    private RedisFailures() {
    }

    /** Whether {@code failure} or one of its causes is a passing failure of Redis's. */
    public static boolean passingAmong(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (passing(t)) {
                return true;
            }
        }
        return false;
    }

    /** Whether Redis could not be reached, or refused a command for a reason that passes. */
    public static boolean passing(Throwable failure) {
        if (failure instanceof JedisConnectionException) {
            return true;
        }
        String message = failure instanceof JedisDataException data ? String.valueOf(data.getMessage()) : "";
        return PASSING.stream().anyMatch(message::startsWith);
    }
}
