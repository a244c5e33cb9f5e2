package io.videotranscoder.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import io.videotranscoder.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registered endpoints' secrets through rotations, against a real Redis. */
class EndpointsTest {

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(4);

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration GRACE = Duration.ofHours(1);

    private final Endpoints endpoints = new Endpoints(SERVER.client(), "endpoints:" + System.nanoTime() + ":");

    private static boolean signs(List<byte[]> keys, String secret) {
        return keys.stream().anyMatch(k -> Arrays.equals(k, Secrets.key(secret)));
    }

    @Test
    void a_second_rotation_within_the_grace_keeps_the_first_secret_signing_until_its_time() {
        Endpoint first = endpoints.register("acme", "https://example.com/hook", Set.of(EventType.of("job.succeeded")
                .orElseThrow()), T0);
        Endpoint lost = endpoints.rotate("acme", first.id(), T0, GRACE); // its answer never reached the admin
        Endpoint again = endpoints.rotate("acme", first.id(), T0.plusSeconds(60), GRACE);

        List<byte[]> during = again.signingKeys(T0.plusSeconds(120));
        assertEquals(3, during.size());
        assertTrue(signs(during, first.secret()), "the receiver's secret still signs");
        assertTrue(signs(during, lost.secret()));
        assertTrue(signs(during, again.secret()));
        assertEquals(T0.plusSeconds(60).plus(GRACE), again.previousUntil());

        List<byte[]> later = endpoints.get("acme", first.id()).signingKeys(T0.plus(GRACE).plusSeconds(30));
        assertEquals(2, later.size(), "the first secret's time is over; the lost one's is not");
        assertTrue(signs(later, lost.secret()));

        Endpoint third = endpoints.rotate("acme", first.id(), T0.plus(GRACE).plusSeconds(45), GRACE);
        assertEquals(List.of(again.secret(), lost.secret()), third.previous().stream().map(Endpoint.Previous::secret)
                .toList(), "newest first, and only those whose time has not passed");
    }
}
