package io.videotranscoder.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A write tried again through a passing failure of Redis's, for a while. */
class PassingFailuresTest {

    @Test
    void a_write_is_tried_again_while_redis_is_away_or_read_only_for_a_moment() {
        AtomicInteger tries = new AtomicInteger();

        String answer = PassingFailures.retried(() -> {
            switch (tries.incrementAndGet()) {
                case 1 -> throw new JedisConnectionException("Unexpected end of stream.");
                case 2 -> throw new JedisDataException("READONLY You can't write against a read only replica.");
                default -> {
                    return "ok";
                }
            }
        }, Duration.ofSeconds(5));

        assertEquals("ok", answer);
        assertEquals(3, tries.get());
    }

    @Test
    void another_failure_is_thrown_at_once_and_a_lasting_one_once_patience_runs_out() {
        AtomicInteger tries = new AtomicInteger();
        assertThrows(JedisDataException.class, () -> PassingFailures.retried(() -> {
            tries.incrementAndGet();
            throw new JedisDataException("ERR wrong number of arguments");
        }, Duration.ofSeconds(5)));
        assertEquals(1, tries.get());

        tries.set(0);
        assertThrows(JedisConnectionException.class, () -> PassingFailures.retried(() -> {
            tries.incrementAndGet();
            throw new JedisConnectionException("Connection refused");
        }, Duration.ofMillis(1600)));
        assertEquals(4, tries.get(), "at 0, 0.5 s and 1.5 s, then at 1.6 s, the patience's end");
    }
}
