package io.videotranscoder.webhook;

import java.util.List;
import java.util.Map;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignerTest {

    @Test
    void signs_the_specifications_example_as_it_shows() {
        // The example of the Standard Webhooks specification and its reference libraries.
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

        String signature = Signer.signatures("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}",
                List.of(java.util.Base64.getDecoder().decode(secret.substring(6))));

        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    @Test
    void an_independent_implementation_verifies_what_it_signs() {
        String secret = Secrets.generate();
        long now = System.currentTimeMillis() / 1000;
        String body = "{\"type\":\"job.succeeded\",\"data\":{\"id\":\"x\"}}";

        String signature = Signer.signatures("msg_1", now, body, List.of(Secrets.key(secret)));

        assertDoesNotThrow(() -> new Webhook(secret).verify(body, headers("msg_1", now, signature)));
        assertThrows(WebhookVerificationException.class,
                () -> new Webhook(secret).verify(body + " ", headers("msg_1", now, signature)));
        assertThrows(WebhookVerificationException.class,
                () -> new Webhook(secret).verify(body, headers("msg_2", now, signature)));
    }

    @Test
    void during_a_rotation_both_secrets_verify() {
        String old = Secrets.generate();
        String current = Secrets.generate();
        long now = System.currentTimeMillis() / 1000;

        String signature = Signer.signatures("msg_1", now, "{}", List.of(Secrets.key(current), Secrets.key(old)));

        assertEquals(2, signature.split(" ").length);
        assertDoesNotThrow(() -> new Webhook(current).verify("{}", headers("msg_1", now, signature)));
        assertDoesNotThrow(() -> new Webhook(old).verify("{}", headers("msg_1", now, signature)));
        assertThrows(WebhookVerificationException.class,
                () -> new Webhook(Secrets.generate()).verify("{}", headers("msg_1", now, signature)));
    }

    @Test
    void secrets_are_whsec_and_32_random_bytes_and_bad_ones_are_refused_without_being_repeated() {
        String secret = Secrets.generate();

        assertTrue(secret.startsWith("whsec_"));
        assertEquals(32, Secrets.key(secret).length);
        IllegalArgumentException noPrefix = assertThrows(IllegalArgumentException.class, () -> Secrets.key("abcdef"));
        assertTrue(!noPrefix.getMessage().contains("abcdef"), noPrefix.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Secrets.key("whsec_!!notbase64"));
        assertThrows(IllegalArgumentException.class, () -> Secrets.key("whsec_c2hvcnQ=")); // 5 bytes
    }

    private static Map<String, List<String>> headers(String id, long timestamp, String signature) {
        return Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(Long.toString(timestamp)),
                "webhook-signature", List.of(signature));
    }
}
