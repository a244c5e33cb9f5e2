package io.videotranscoder.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventTokensTest {

    private static final byte[] KEY = EventTokens.newKey();
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private static EventTokens at(Instant now, byte[] key) {
        return new EventTokens(() -> key, Duration.ofMinutes(5), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void a_token_grants_its_tenant_and_scope_until_it_expires() {
        EventTokens.Issued issued = at(NOW, KEY).issue("k1", "acme", "jobs:read", null);

        EventTokens.Grant grant = at(NOW.plusSeconds(299), KEY).verify(issued.token());

        assertEquals(new EventTokens.Grant("k1", "acme", "jobs:read", null, NOW.plusSeconds(300)), grant);
        assertEquals(grant, issued.grant());
        assertTrue(issued.token().matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"), "safe in a URL: " + issued.token());
    }

    /** A download link's token names its job, so that a link that leaks opens no other job's outputs. */
    @Test
    void a_token_bound_to_a_job_names_it_and_cannot_be_moved_to_another() {
        String job = "0b9e3c3a-4d1f-4a51-9f4e-2f6f5b8f3c10";
        String token = at(NOW, KEY).issue("k1", "acme", "jobs:read", job).token();

        assertEquals(job, at(NOW, KEY).verify(token).job());
        String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                StandardCharsets.UTF_8);
        String unbound = Base64.getUrlEncoder().withoutPadding().encodeToString(payload
                .replace(",\"job\":\"" + job + "\"", "").getBytes(StandardCharsets.UTF_8));
        String signature = token.substring(token.indexOf('.'));
        assertFalse(unbound.equals(token.substring(0, token.indexOf('.'))), "the claim was taken out: " + payload);
        assertThrows(EventTokens.Refused.class, () -> at(NOW, KEY).verify(unbound + signature),
                "the binding is signed");
    }

    @Test
    void a_token_made_without_a_key_names_none() {
        EventTokens.Issued issued = at(NOW, KEY).issue(null, "default", "admin", null);

        assertNull(at(NOW, KEY).verify(issued.token()).keyId());
    }

    @Test
    void an_expired_token_is_refused_saying_so() {
        String token = at(NOW, KEY).issue("k1", "acme", "jobs:read", null).token();

        EventTokens.Refused refused = assertThrows(EventTokens.Refused.class,
                () -> at(NOW.plusSeconds(300), KEY).verify(token));
        assertTrue(refused.expired());

        assertTrue(refused.getMessage().contains("expired"), refused.getMessage());
    }

    @Test
    void a_token_with_its_payload_changed_is_refused() {
        String token = at(NOW, KEY).issue("k1", "acme", "jobs:read", null).token();
        String payload = token.substring(0, token.indexOf('.'));
        String json = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
        String other = Base64.getUrlEncoder().withoutPadding().encodeToString(json.replace("acme", "evil")
                .getBytes(StandardCharsets.UTF_8));

        EventTokens.Refused refused = assertThrows(EventTokens.Refused.class,
                () -> at(NOW, KEY).verify(other + token.substring(token.indexOf('.'))));

        assertTrue(refused.getMessage().contains("not one this service issued"), refused.getMessage());
        assertFalse(refused.expired());
        assertFalse(refused.getMessage().contains(token));
    }

    @Test
    void a_token_signed_with_another_key_or_malformed_is_refused() {
        String foreign = at(NOW, EventTokens.newKey()).issue("k1", "acme", "jobs:read", null).token();

        for (String token : new String[] {foreign, "", "abc", "a.b", "a.b.c", ".", foreign + "x",
            foreign.replace('.', '!')}) {
            assertThrows(EventTokens.Refused.class, () -> at(NOW, KEY).verify(token), token);
        }
        assertThrows(EventTokens.Refused.class, () -> at(NOW, KEY).verify(null));
    }
}
