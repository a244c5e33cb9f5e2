package io.videotranscoder.webhook;

import java.util.List;

import io.videotranscoder.refusal.Refusal;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each tenant's callbacks are signed with a key of its own; the default tenant's with the operator's. */
class CallbackKeysTest {

    private static final String OPERATOR = Secrets.generate();
    private final CallbackKeys keys = new CallbackKeys(Secrets.key(OPERATOR));

    /** ...which derives every other tenant's: it is never served, whoever asks. */
    @Test
    void the_default_tenant_signs_with_the_operators_secret_which_is_not_served() {
        assertArrayEquals(Secrets.key(OPERATOR), keys.of("default"));
        Refusal refused = assertThrows(Refusal.class, () -> keys.secret("default"));
        assertEquals(Refusal.Kind.WRONG_STATE, refused.kind());
        assertFalse(refused.getMessage().contains(OPERATOR));
    }

    @Test
    void every_other_tenant_has_a_key_of_its_own_the_same_on_every_process() {
        List<String> secrets = List.of(keys.secret("acme"), keys.secret("globex"), keys.secret("Acme"));

        assertEquals(3, secrets.stream().distinct().count());
        assertFalse(secrets.contains(OPERATOR));
        assertEquals(keys.secret("acme"), new CallbackKeys(Secrets.key(OPERATOR)).secret("acme"));
        assertNotEquals(keys.secret("acme"), new CallbackKeys(Secrets.key(Secrets.generate())).secret("acme"),
                "a new operator secret gives every tenant a new one");
        assertArrayEquals(keys.of("acme"), Secrets.key(keys.secret("acme")), "a secret a receiver can configure");
    }

    @Test
    void without_the_operators_secret_there_is_none_to_give() {
        CallbackKeys none = new CallbackKeys(null);

        assertFalse(none.set());
        Refusal refused = assertThrows(Refusal.class, () -> none.secret("acme"));
        assertEquals(Refusal.Kind.WRONG_STATE, refused.kind());
    }
}
