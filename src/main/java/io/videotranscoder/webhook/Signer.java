package io.videotranscoder.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Standard Webhooks v1 signatures: base64 HMAC-SHA256 of {@code id.timestamp.body}, one per key, space-separated. */
public final class Signer {

    private static final String HMAC = "HmacSHA256";

    private Signer() {
    }

    /**
     * The {@code webhook-signature} header: {@code v1,<sig>} for each key, so that during a rotation a receiver that
     * knows either secret can verify.
     */
    public static String signatures(String id, long timestampSeconds, String body, List<byte[]> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no key to sign with");
        }
        byte[] content = (id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8);
        return keys.stream().map(key -> "v1," + Base64.getEncoder().encodeToString(hmac(key, content)))
                .collect(Collectors.joining(" "));
    }

    /** HMAC-SHA256 of {@code content} under {@code key}. */
    static byte[] hmac(byte[] key, byte[] content) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
