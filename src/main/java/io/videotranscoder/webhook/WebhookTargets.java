package io.videotranscoder.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

import io.videotranscoder.refusal.Refusal;

/**
 * Checks a URL a client gives for webhooks when it gives it: http or https, a host, no credentials, and an address
 * the {@link AddressPolicy} allows now. The same check is made again by each delivery's connection.
 */
public final class WebhookTargets {

    private static final int MAX_LENGTH = 2048;

    private final CheckedDnsResolver resolver;

    public WebhookTargets(CheckedDnsResolver resolver) {
        this.resolver = resolver;
    }

    /** The URL as it will be called; a refusal naming {@code field} when it may not be. */
    public String require(String field, String url) {
        URI uri = parse(field, url);
        try {
            resolver.resolve(uri.getHost());
        } catch (AddressRefused e) {
            throw Refusal.invalidField(field, field + " is refused: " + e.getMessage() + ".");
        } catch (TimedLookups.NotNow e) {
            // Not the URL's fault: a finished resumable upload refused for it (a 400) would be thrown away.
            throw new Refusal(Refusal.Kind.UNAVAILABLE, "The host of " + field + " could not be looked up now (its DNS "
                    + "did not answer in time, or too many lookups at once); send it again.", field);
        } catch (UnknownHostException e) {
            throw Refusal.invalidField(field, field + " is refused: " + AddressPolicy.notPublic(uri.getHost()) + ".");
        }
        return uri.toString();
    }

    /** The URL as it will be called, checked for its form only (no lookup): for settings read at start. */
    public String wellFormed(String field, String url) {
        return parse(field, url).toString();
    }

    private static URI parse(String field, String url) {
        if (url == null || url.isBlank() || url.length() > MAX_LENGTH) {
            throw Refusal.invalidField(field, field + " must be an http or https URL of at most " + MAX_LENGTH
                    + " characters.");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw Refusal.invalidField(field, field + " is not a URL: " + e.getReason() + ".");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw Refusal.invalidField(field, field + " must be an http or https URL.");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw Refusal.invalidField(field, field + " must name a host.");
        }
        if (uri.getRawUserInfo() != null) {
            throw Refusal.invalidField(field, field + " must not carry credentials: receivers check the signature.");
        }
        if (uri.getRawFragment() != null) {
            throw Refusal.invalidField(field, field + " must not have a fragment.");
        }
        return uri;
    }
}
