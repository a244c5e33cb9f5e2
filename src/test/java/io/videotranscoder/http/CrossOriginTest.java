package io.videotranscoder.http;

import java.util.List;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The allowed-origins setting: read once at start, so that a typo stops the start instead of silently allowing none. */
class CrossOriginTest {

    @Test
    void blank_is_off() {
        assertEquals(List.of(), CrossOrigin.origins(""));
        assertEquals(List.of(), CrossOrigin.origins(" , "));
    }

    @Test
    void origins_are_normalised_and_a_star_allows_any() {
        assertEquals(List.of("https://player.example", "http://localhost:3000"),
                CrossOrigin.origins(" HTTPS://Player.Example:443/ ,http://localhost:3000"));
        assertEquals(List.of("*"), CrossOrigin.origins("https://a.example, *"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"player.example", "https://player.example/page", "ftp://player.example",
            "https://user@player.example", "https://player.example?x=1", "https://"})
    void what_is_not_an_origin_stops_the_start(String setting) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CrossOrigin.origins(setting));
        assertTrue(e.getMessage().startsWith(CrossOrigin.SETTING + ": '" + setting + "' is not an origin"), e.getMessage());
    }

    @Test
    void vary_names_origin_once() {
        MultiMap none = MultiMap.caseInsensitiveMultiMap();
        CrossOrigin.varyByOrigin(none);
        assertEquals(List.of("Origin"), none.getAll("Vary"));
        MultiMap saidByVertx = MultiMap.caseInsensitiveMultiMap().add("vary", "Accept-Encoding,origin");
        CrossOrigin.varyByOrigin(saidByVertx);
        assertEquals(List.of("Accept-Encoding,origin"), saidByVertx.getAll("Vary"));
    }

    @Test
    void a_request_origin_is_compared_normalised() {
        CrossOrigin cors = new CrossOrigin(0, CrossOrigin.origins("https://player.example"));
        assertTrue(cors.allows("https://player.example"));
        assertTrue(cors.allows("https://PLAYER.example:443"));
        assertFalse(cors.allows("http://player.example"), "another scheme is another origin");
        assertFalse(cors.allows("https://player.example.evil"));
        assertFalse(cors.allows("null"));
        assertTrue(new CrossOrigin(0, List.of("*")).allows("https://anywhere.example"));
    }
}
