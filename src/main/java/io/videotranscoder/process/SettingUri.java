package io.videotranscoder.process;

import java.net.URI;
import java.util.Optional;

/** An address a setting gives, read as a URI: empty where it is not one, so that its check refuses it in its words. */
public final class SettingUri {

    private SettingUri() {
    }

    public static Optional<URI> parse(String value) {
        try {
            return Optional.of(URI.create(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a space, a bracket out of place: URI's own words name no setting
        }
    }
}
