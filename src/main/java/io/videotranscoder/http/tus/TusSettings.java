package io.videotranscoder.http.tus;

import java.time.Duration;

/**
 * @param maxSize       the largest upload taken ({@code Tus-Max-Size}): the multipart upload's limit
 * @param expiry        how long an unfinished upload is kept after its last bytes arrived
 * @param maxAge        how long an unfinished upload is kept at most, from its creation, however often bytes arrive
 * @param maxOpenPerKey how many unfinished uploads one API key may have (0: any number)
 */
public record TusSettings(long maxSize, Duration expiry, Duration maxAge, int maxOpenPerKey) {
}
