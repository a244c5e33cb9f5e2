package io.videotranscoder.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import io.videotranscoder.refusal.Refusal;
import io.videotranscoder.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    /** Each event is a delivery to every endpoint of the tenant: their number is bounded, per tenant. */
    @Test
    void a_tenant_has_at_most_fifty_endpoints_and_one_more_once_one_is_deleted() {
        Set<EventType> events = Set.of(EventType.of("job.succeeded").orElseThrow());
        List<Endpoint> made = new java.util.ArrayList<>();
        for (int i = 0; i < Endpoints.MOST_PER_TENANT; i++) {
            made.add(endpoints.register("acme", "https://example.com/hook/" + i, events, T0));
        }

        Refusal refused = assertThrows(Refusal.class,
                () -> endpoints.register("acme", "https://example.com/hook/more", events, T0));
        assertEquals(Refusal.Kind.WRONG_STATE, refused.kind());
        assertEquals(Endpoints.MOST_PER_TENANT, endpoints.list("acme").size(), "nothing stored of the refused one");
        endpoints.register("globex", "https://example.com/hook", events, T0); // another tenant's count is its own
        endpoints.delete("acme", made.get(0).id());
        endpoints.register("acme", "https://example.com/hook/more", events, T0);
        assertEquals(Endpoints.MOST_PER_TENANT, endpoints.list("acme").size());
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
