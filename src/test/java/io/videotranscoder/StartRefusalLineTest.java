package io.videotranscoder;

import java.time.Duration;

import io.videotranscoder.process.StartRefusal;
import io.videotranscoder.redis.RedisConnections;
import org.apache.camel.FailedToCreateRouteException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What Main logs as the one line of a refused start, however deep Camel wrapped it; a fault keeps its trace. */
class StartRefusalLineTest {

    @Test
    void a_refusal_is_its_own_words_however_deep() {
        FailedToCreateRouteException wrapped = new FailedToCreateRouteException("webhooks", "route", "the route failed",
                new IllegalStateException("bean", new StartRefusal("TRANSCODER_WEBHOOK_SECRET: too short")));

        assertEquals("TRANSCODER_WEBHOOK_SECRET: too short", Main.refusal(wrapped));
    }

    /** A setting's own check throws IllegalArgumentException: REDIS_URL's was a stack trace of 20 lines. */
    @Test
    void a_value_this_service_refused_is_its_words_and_a_password_is_never_told() {
        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
                () -> RedisConnections.pooled("localhost:6379", 1, Duration.ofSeconds(1),
                        Duration.ofSeconds(1)));
        IllegalArgumentException secret = assertThrows(IllegalArgumentException.class,
                () -> RedisConnections.pooled("redis://:s3cret@cache host:6379", 1, Duration.ofSeconds(1),
                        Duration.ofSeconds(1)));

        assertEquals("REDIS_URL must look like redis://[user:password@]host:port[/db], not localhost:6379",
                Main.refusal(new RuntimeException("failed to create bean", plain)));
        assertEquals("REDIS_URL must look like redis://[user:password@]host:port[/db], not the address given (its"
                     + " password not shown)", Main.refusal(new RuntimeException(secret)));
    }

    /** An IllegalArgumentException thrown elsewhere (the JDK's, a library's) is a fault: logged with its trace. */
    @Test
    void a_fault_elsewhere_is_no_refusal() {
        NumberFormatException jdk = assertThrows(NumberFormatException.class, () -> Integer.parseInt("x"));

        assertNull(Main.refusal(new RuntimeException("failed to create bean", jdk)));
        assertNull(Main.refusal(new IllegalStateException("no cause")));
    }
}
